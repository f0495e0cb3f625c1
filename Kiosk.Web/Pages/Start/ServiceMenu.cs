namespace Kiosk.Web.Pages.Start;

/// <summary>One entry of the start screen: a service of DESIGN §1, or "check my request".</summary>
/// <param name="Code">Stable code, used in the form, the session and the element ids (<c>service-{Code}</c>).</param>
public sealed record ServiceChoice(string Code)
{
    public string NameKey => $"Service.{Code}.Name";
    public string DescriptionKey => $"Service.{Code}.Description";
    public string ElementId => $"service-{Code}";
}

public static class ServiceMenu
{
    public static readonly ServiceChoice HomeCall = new("home-call");
    public static readonly ServiceChoice Appointment = new("appointment");
    public static readonly ServiceChoice Attachment = new("attachment");
    public static readonly ServiceChoice CheckRequest = new("status");

    /// <summary>The three services, in the regulation's order.</summary>
    public static readonly IReadOnlyList<ServiceChoice> Services = [HomeCall, Appointment, Attachment];

    public static readonly IReadOnlyList<ServiceChoice> All = [HomeCall, Appointment, Attachment, CheckRequest];

    public static ServiceChoice? Find(string? code) => All.FirstOrDefault(s => s.Code == code);
}
