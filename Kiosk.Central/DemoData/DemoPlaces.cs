namespace Kiosk.Central.DemoData;

internal sealed record DemoDistrict(string Code, string NameRu, string NameKk, string NameEn, bool InCity, string[] Streets, string AddressPrefix);

internal sealed record DemoHours(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

internal sealed record DemoClinic(int Id, string Street, int House, string[] Districts, DemoHours[] Hours)
{
    public string NameRu => $"Городская поликлиника №{Id}";
    public string NameKk => $"№{Id} қалалық емхана";
    public string NameEn => $"City Polyclinic No. {Id}";
    public string Address => $"г. Астана, {Street}, д. {House}";
}

/// <summary>
/// The fixed geography of the demo: Astana's five districts, two places outside the city that no clinic serves, and ten
/// city polyclinics. It does not depend on the seed, so clinic ids and hours stay the same from one demo to the next.
/// </summary>
internal static class DemoPlaces
{
    public static readonly DemoDistrict[] Districts =
    [
        new("almaty", "Алматы", "Алматы", "Almaty", true,
            ["пр. Абылай хана", "ул. Жубанова", "ул. Тлендиева", "ул. Шәкәрім Құдайбердіұлы", "ул. Илияса Есенберлина", "ул. Пушкина", "ул. Кошкарбаева"],
            "г. Астана"),
        new("baikonur", "Байконур", "Байқоңыр", "Baikonur", true,
            ["пр. Республики", "ул. Бейсекбаева", "ул. Жанибека Тархана", "ул. Московская", "ул. Ташенова", "ул. Бигельдинова"],
            "г. Астана"),
        new("esil", "Есиль", "Есіл", "Yesil", true,
            ["пр. Туран", "пр. Кабанбай батыра", "ул. Сыганак", "пр. Мангилик Ел", "ул. Достык", "ул. Акмешит", "ул. Орынбор"],
            "г. Астана"),
        new("saryarka", "Сарыарка", "Сарыарқа", "Saryarka", true,
            ["пр. Сарыарка", "ул. Сейфуллина", "ул. Кенесары", "ул. Бейбітшілік", "пр. Женис", "ул. Ауэзова", "ул. Иманова"],
            "г. Астана"),
        new("nura", "Нура", "Нұра", "Nura", true,
            ["ул. Шамши Калдаякова", "ул. Улы Дала", "ул. Хусейн бен Талал", "ул. Турар Рыскулов", "ул. Айтматова", "ул. Жумабека Ташенова"],
            "г. Астана"),
        new("kosshy", "Косшы (пригород)", "Қосшы (қала маңы)", "Kosshy (suburb)", false,
            ["ул. Республики", "ул. Абая", "ул. Достык", "ул. Луговая"],
            "Акмолинская обл., г. Косшы"),
        new("talapker", "Талапкер (пригород)", "Талапкер (қала маңы)", "Talapker (suburb)", false,
            ["ул. Центральная", "ул. Школьная", "ул. Степная"],
            "Акмолинская обл., Целиноградский р-н, с. Талапкер"),
    ];

    private static readonly TimeOnly H0730 = new(7, 30), H0800 = new(8, 0), H0900 = new(9, 0), H1300 = new(13, 0),
        H1400 = new(14, 0), H1500 = new(15, 0), H1800 = new(18, 0), H1900 = new(19, 0), H2000 = new(20, 0);

    private static DemoHours[] Week(TimeOnly opens, TimeOnly closes, (TimeOnly Opens, TimeOnly Closes)? saturday,
        (TimeOnly Opens, TimeOnly Closes)? sunday = null)
    {
        var hours = new List<DemoHours>();
        if (sunday is { } sun) hours.Add(new DemoHours(DayOfWeek.Sunday, sun.Opens, sun.Closes));
        for (var d = DayOfWeek.Monday; d <= DayOfWeek.Friday; d++) hours.Add(new DemoHours(d, opens, closes));
        if (saturday is { } sat) hours.Add(new DemoHours(DayOfWeek.Saturday, sat.Opens, sat.Closes));
        return [.. hours];
    }

    public static readonly DemoClinic[] Clinics =
    [
        new(1, "ул. Бейбітшілік", 46, ["saryarka"], Week(H0800, H2000, (H0900, H1400))),
        new(2, "ул. Кенесары", 73, ["saryarka", "baikonur"], Week(H0800, H2000, (H0900, H1400))),
        new(3, "ул. Бейсекбаева", 12, ["baikonur"], Week(H0800, H1900, (H0900, H1300))),
        new(4, "ул. Жубанова", 19, ["almaty"], Week(H0800, H2000, (H0900, H1400))),
        new(5, "пр. Абылай хана", 5, ["almaty", "baikonur"], Week(H0800, H2000, (H0900, H1500))),
        new(6, "пр. Туран", 37, ["esil"], Week(H0800, H2000, (H0900, H1500), (H0900, H1300))),
        new(7, "пр. Мангилик Ел", 28, ["esil", "nura"], Week(H0800, H2000, (H0900, H1400))),
        new(8, "ул. Шамши Калдаякова", 3, ["nura"], Week(H0730, H2000, (H0900, H1400))),
        new(9, "ул. Тлендиева", 52, ["almaty"], Week(H0800, H1800, null)),
        new(10, "ул. Сыганак", 8, ["esil"], Week(H0800, H2000, (H0900, H1400))),
    ];
}
