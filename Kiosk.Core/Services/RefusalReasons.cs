using System.Collections.Frozen;

namespace Kiosk.Core.Services;

/// <summary>
/// Why the provider refused a request: stable codes (stored, sent from Central to kiosks, printed on refusal slips)
/// and the words a citizen reads, in Kazakh, Russian and English (DESIGN §7: every refusal names its rule in words a
/// citizen understands). Each message says what to do instead.
/// </summary>
public static class RefusalReasons
{
    public const string NotInRegistry = "not-in-registry";
    public const string Deceased = "deceased";
    public const string NotAttached = "not-attached";
    public const string ClinicClosedToday = "clinic-closed-today";
    public const string AfterCutOff = "after-cut-off";
    public const string DayOver = "day-over";

    private sealed record Text(string Kk, string Ru, string En);

    private static readonly FrozenDictionary<string, Text> Catalog = new Dictionary<string, Text>
    {
        [NotInRegistry] = new(
            "Сіздің ЖСН-іңіз халықты тіркеу тізілімінде табылмады. Халыққа қызмет көрсету орталығына (ХҚКО) жүгініңіз немесе 1414 нөміріне қоңырау шалыңыз.",
            "Ваш ИИН не найден в регистре населения. Обратитесь в Центр обслуживания населения (ЦОН) или позвоните 1414.",
            "Your IIN was not found in the population registry. Please visit a Public Service Centre, or call 1414."),
        [Deceased] = new(
            "Тізілім бойынша бұл адам қайтыс болған деп белгіленген, сондықтан өтініш қабылданбайды. Қате болса, Халыққа қызмет көрсету орталығына (ХҚКО) жүгініңіз немесе 1414 нөміріне қоңырау шалыңыз.",
            "По данным регистра этот человек значится умершим, поэтому заявка не может быть принята. Если это ошибка, обратитесь в Центр обслуживания населения (ЦОН) или позвоните 1414.",
            "The registry lists this person as deceased, so the request cannot be accepted. If this is a mistake, please visit a Public Service Centre, or call 1414."),
        [NotAttached] = new(
            "Сіз ешбір емханаға тіркелмегенсіз. Алдымен емханаға тіркеліңіз (осы киоскіде «Емханаға тіркелу»), ал шұғыл жағдайда 103 нөміріне қоңырау шалыңыз. Анықтама: 1414.",
            "Вы не прикреплены ни к одной поликлинике. Сначала прикрепитесь к поликлинике (услуга «Прикрепление» на этом киоске), а в неотложном случае звоните 103. Справки: 1414.",
            "You are not attached to any clinic. Attach to a clinic first (the \"Attach to a clinic\" service on this kiosk); in an emergency call 103. Help: 1414."),
        [ClinicClosedToday] = new(
            "Бүгін сіздің емханаңыз жұмыс істемейді, сондықтан дәрігерді үйге шақыру қабылданбайды. Шұғыл жағдайда 103 нөміріне қоңырау шалыңыз немесе келесі жұмыс күні өтініш беріңіз. Анықтама: 1414.",
            "Сегодня ваша поликлиника не работает, поэтому вызов врача на дом не принимается. В неотложном случае звоните 103 или подайте заявку в следующий рабочий день. Справки: 1414.",
            "Your clinic is closed today, so a home call cannot be accepted. In an emergency call 103, or apply on the clinic's next working day. Help: 1414."),
        [AfterCutOff] = new(
            "Дәрігерді үйге шақыру емхана жұмысы аяқталардан 2 сағат бұрын ғана қабылданады, бұл уақыт өтіп кетті. Шұғыл жағдайда 103 нөміріне қоңырау шалыңыз немесе ертең өтініш беріңіз. Анықтама: 1414.",
            "Вызов врача на дом принимается не позднее чем за 2 часа до окончания работы поликлиники, а это время уже прошло. В неотложном случае звоните 103 или подайте заявку завтра. Справки: 1414.",
            "Home calls are accepted only until 2 hours before your clinic closes, and that time has passed. In an emergency call 103, or apply tomorrow. Help: 1414."),
        [DayOver] = new(
            "Өтінішіңіз уақытында қол қойылды, бірақ емханаға оның күні аяқталғаннан кейін ғана жетті, сондықтан дәрігер келе алмайды. Емханаңызға немесе 1414 нөміріне қоңырау шалыңыз.",
            "Ваша заявка подписана вовремя, но дошла до поликлиники только после окончания её рабочего дня, поэтому врач не сможет прийти. Позвоните в свою поликлинику или по номеру 1414.",
            "Your request was signed in time but reached the clinic only after its working day had ended, so a doctor cannot come. Please phone your clinic, or call 1414."),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<string> Codes => Catalog.Keys;

    public static bool Has(string code) => Catalog.ContainsKey(code);

    /// <summary>The reason in "kk", "ru" or "en" (a culture name works too); unknown languages get Russian.</summary>
    public static string For(string code, string language)
    {
        if (!Catalog.TryGetValue(code, out var text))
            throw new ArgumentOutOfRangeException(nameof(code), code, "Not a refusal reason.");
        var lang = language.Length >= 2 ? language[..2].ToLowerInvariant() : language;
        return lang switch { "kk" => text.Kk, "en" => text.En, _ => text.Ru };
    }
}
