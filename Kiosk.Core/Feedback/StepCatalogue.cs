using System.Globalization;

namespace Kiosk.Core.Feedback;

/// <summary>Where a step is done: at the kiosk by the citizen (table 1, «через ПЭП»), or at the desk by the provider's staff (table 2, «через услугодателя»).</summary>
public static class StepChannels
{
    public const string Kiosk = "kiosk";
    public const string Desk = "desk";

    public static IReadOnlyList<string> All { get; } = [Kiosk, Desk];
}

/// <summary>
/// One measured step with the regulation's norm for it (column «Сроки исполнения» of the action it belongs to).
/// </summary>
/// <param name="Code">The step's stable code (what the kiosk sends and Central stores).</param>
/// <param name="Channel"><see cref="StepChannels"/>.</param>
/// <param name="Table">The regulation's table: 1 (through the portal, here the kiosk) or 2 (through the provider).</param>
/// <param name="Action">The action's number («№ действия») in that table.</param>
/// <param name="Min">The lower end of the norm when the regulation gives a range («30 сек. – 1 мин.»), else null.</param>
/// <param name="Max">The norm: the most the step may take. "Over the norm" means longer than this.</param>
/// <param name="Name">A short English name for charts and exports.</param>
/// <param name="Regulation">The action as the regulation names it (Russian).</param>
/// <param name="Measured">What the product measures as this step, from which moment to which.</param>
public sealed record StepNorm(
    string Code, string Channel, int Table, int Action, TimeSpan? Min, TimeSpan Max, string Name, string Regulation, string Measured)
{
    /// <summary>The norm as the regulation writes it, in English units: "30 s – 1 min", "1.5 min", "10 s".</summary>
    public string NormText => Min is { } min ? $"{Durations.Text(min)} – {Durations.Text(Max)}" : Durations.Text(Max);

    /// <summary>Whether a duration is over the norm (strictly longer than <see cref="Max"/>).</summary>
    public bool IsOver(TimeSpan duration) => duration > Max;
}

/// <summary>
/// The steps whose times the product records (issue 12 item 6) and the regulation's norms for them: table 1 «Описание
/// действий СФЕ через ПЭП» (appendix 1 of each of the three services' regulations, the same figures in all three) and
/// table 2 «Описание действий СФЕ через услугодателя» (filled in only in appendix 1 of «Запись на прием к врачу»; the
/// product applies it to the three services alike). The mapping of measured steps to the tables' actions is explained in
/// docs/survey-and-step-times.md.
/// </summary>
public static class StepCatalogue
{
    // Table 1 (the kiosk stands for the portal).
    public const string SignIn = "sign-in";
    public const string Form = "form";
    public const string SignAndSend = "sign-and-send";

    // Table 2 (the registrar's desk).
    public const string StaffSignIn = "staff-sign-in";
    public const string ServiceChoice = "service-choice";
    public const string RegistryLookup = "registry-lookup";
    public const string DeskForm = "desk-form";
    public const string DeskSigning = "desk-signing";

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    public static IReadOnlyList<StepNorm> All { get; } =
    [
        new(SignIn, StepChannels.Kiosk, 1, 1, S(30), S(60), "Sign-in",
            "Авторизуется на ПЭП по ИИН и пароля",
            "the sign-in screen first shown → signed in with the EDS AUTH key"),
        new(Form, StepChannels.Kiosk, 1, 3, null, S(90), "Form",
            "Выбирает услугу и формирует данные запроса",
            "the service's form first shown → its review screen reached"),
        new(SignAndSend, StepChannels.Kiosk, 1, 5, S(30), S(60), "Sign and send",
            "Удостоверение (подписание) посредством ЭЦП получателя и направление запроса",
            "the review screen first shown → the request signed, stored and queued (the receipt)"),
        new(StaffSignIn, StepChannels.Desk, 2, 1, S(10), S(15), "Staff sign-in",
            "Авторизуется на АРМ услугодателя через ИИН и пароля",
            "the staff sign-in screen shown → signed in with IIN and password"),
        new(ServiceChoice, StepChannels.Desk, 2, 2, null, S(10), "Choice of service",
            "Выбор сотрудником услугодателя услуги",
            "the desk's service menu shown → a service chosen"),
        new(RegistryLookup, StepChannels.Desk, 2, 3, null, S(90), "Registry look-up",
            "Направление запроса о данных получателя в ГБД ФЛ/ГБД ЮЛ",
            "the citizen's IIN sent → Central's population registry answered"),
        new(DeskForm, StepChannels.Desk, 2, 5, S(10), S(15), "Desk form",
            "Заполнение формы запроса с прикреплением сканированного документа удостоверения ЭЦП",
            "the pre-filled form shown → the completed form accepted"),
        new(DeskSigning, StepChannels.Desk, 2, 5, S(10), S(15), "Desk signing",
            "Заполнение формы запроса с прикреплением сканированного документа удостоверения ЭЦП",
            "the signing screen shown → signed with the registrar's EDS and queued"),
    ];

    private static readonly Dictionary<string, StepNorm> ByCode = All.ToDictionary(s => s.Code, StringComparer.Ordinal);

    /// <summary>The step of a code, or null when the product does not know it.</summary>
    public static StepNorm? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var step) ? step : null;

    public static StepNorm Get(string code) => Find(code) ?? throw new ArgumentOutOfRangeException(nameof(code), code, "Not a step of the catalogue.");
}

/// <summary>Durations as the charts and exports write them.</summary>
public static class Durations
{
    /// <summary>"4.2 s", "42 s", "1 min", "1.5 min", "2 min 5 s".</summary>
    public static string Text(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        if (seconds < 10) return Math.Round(seconds, 1).ToString("0.#", CultureInfo.InvariantCulture) + " s";
        if (seconds < 60) return Math.Round(seconds).ToString("0", CultureInfo.InvariantCulture) + " s";
        var whole = (long)Math.Round(seconds);
        var minutes = whole / 60;
        var rest = whole % 60;
        if (rest == 0) return minutes.ToString(CultureInfo.InvariantCulture) + " min";
        if (rest == 30) return (minutes + 0.5).ToString("0.#", CultureInfo.InvariantCulture) + " min";
        return $"{minutes.ToString(CultureInfo.InvariantCulture)} min {rest.ToString(CultureInfo.InvariantCulture)} s";
    }
}
