namespace Kiosk.Core.Requests;

/// <summary>The services a request document can ask for (DESIGN §1): the <c>kind</c> of a request document.</summary>
public static class RequestKinds
{
    public const string HomeCall = "home-call";
    public const string Appointment = "appointment";
    public const string Attachment = "attachment";

    public static IReadOnlyList<string> All { get; } = [HomeCall, Appointment, Attachment];
}

/// <summary>
/// Why a doctor is called home (issue 4: "the usual indications"): the <c>reasonCode</c> of a home-call document.
/// Stable codes: the kiosk's form and Central's journal both key their texts on them.
/// </summary>
public static class HomeCallReasons
{
    /// <summary>Fever over 38 °C.</summary>
    public const string Fever = "fever";

    /// <summary>High blood pressure with marked malaise.</summary>
    public const string HighBloodPressure = "high-blood-pressure";

    /// <summary>Repeated loose stools.</summary>
    public const string LooseStools = "loose-stools";

    /// <summary>Pain that limits moving.</summary>
    public const string PainLimitingMovement = "pain-limiting-movement";

    /// <summary>Dizziness or vomiting.</summary>
    public const string DizzinessOrVomiting = "dizziness-or-vomiting";

    /// <summary>A chronic condition that prevents a visit to the clinic.</summary>
    public const string ChronicCondition = "chronic-condition";

    /// <summary>An infection dangerous to others.</summary>
    public const string DangerousInfection = "dangerous-infection";

    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } =
    [
        Fever, HighBloodPressure, LooseStools, PainLimitingMovement, DizzinessOrVomiting, ChronicCondition,
        DangerousInfection, Other,
    ];
}

/// <summary>Why a citizen asks to be attached to a clinic (issue 5): the <c>reason</c> of an attachment document.</summary>
public static class AttachmentReasons
{
    /// <summary>A voluntary change of clinic (counted against the yearly limit).</summary>
    public const string Voluntary = "voluntary";

    /// <summary>A move to another address; the document then carries <c>newAddress</c>. Not counted against the limit.</summary>
    public const string ChangeOfResidence = "change-of-residence";

    /// <summary>The person is attached to no clinic yet.</summary>
    public const string FirstAttachment = "first-attachment";

    public static IReadOnlyList<string> All { get; } = [Voluntary, ChangeOfResidence, FirstAttachment];
}
