using Kiosk.Core.Eds;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Core.Time;
using Kiosk.Web.Pages.Status;

namespace Kiosk.Tests.Web.Status;

/// <summary>The status of a request as the status screen derives it, and how one stored row is shown.</summary>
public class RequestStatusRuleTests
{
    [Theory]
    // Nothing delivered yet (or no outbox row at all): queued. The kiosk never claims a delivery Central did not confirm.
    [InlineData("queued", null, null, null, RequestStatus.Queued)]
    [InlineData(null, null, null, null, RequestStatus.Queued)]
    // Marked sent but no number known here: sent.
    [InlineData("sent", null, null, null, RequestStatus.Sent)]
    // Central's number, from the push answer or from a decision: registered.
    [InlineData("sent", "HC-20260304-000001", null, null, RequestStatus.Registered)]
    [InlineData("queued", null, null, "HC-20260304-000001", RequestStatus.Registered)]
    // A decision wins, even over a row whose answer was not recorded (the worker died between push and record).
    [InlineData("sent", "HC-20260304-000001", "accepted", "HC-20260304-000001", RequestStatus.Accepted)]
    [InlineData("queued", null, "accepted", "HC-20260304-000001", RequestStatus.Accepted)]
    [InlineData("sent", "HC-20260304-000001", "refused", "HC-20260304-000001", RequestStatus.Refused)]
    // Central refused to register it: the dead letter.
    [InlineData("dead", null, null, null, RequestStatus.Rejected)]
    // A decision status the kiosk does not know (a later service's) is not taken for accepted or refused.
    [InlineData("sent", "AP-20260304-000001", "completed", "AP-20260304-000001", RequestStatus.Registered)]
    public void Status_follows_the_outbox_the_registration_number_and_the_decision(
        string? outbox, string? number, string? decision, string? decisionNumber, RequestStatus expected) =>
        Assert.Equal(expected, RequestStatusRule.Derive(outbox, number, decision, decisionNumber));

    [Fact]
    public void Codes_are_the_lower_case_names_and_only_decided_or_rejected_requests_are_final()
    {
        Assert.Equal(["queued", "sent", "registered", "accepted", "refused", "rejected"],
            Enum.GetValues<RequestStatus>().Select(RequestStatusRule.Code));
        Assert.Equal([RequestStatus.Accepted, RequestStatus.Refused, RequestStatus.Rejected],
            Enum.GetValues<RequestStatus>().Where(RequestStatusRule.IsFinal));
    }

    [Fact]
    public void A_home_calls_deadline_is_the_Astana_day_it_was_signed_and_passes_when_that_day_ends()
    {
        var day = new DateOnly(2026, 3, 4);
        // 23:50 in Astana is still the 4th, though UTC has it earlier the same day; 00:10 the next morning is the 5th.
        Assert.Equal(day, RequestStatusRule.Deadline(RequestKinds.HomeCall, AstanaTime.ToUtc(day, new TimeOnly(23, 50))));
        Assert.Equal(day.AddDays(1), RequestStatusRule.Deadline(RequestKinds.HomeCall, AstanaTime.ToUtc(day.AddDays(1), new TimeOnly(0, 10))));
        // Attachment too is served on the day of the request (issue 5 item 4); an appointment's deadline is its slot.
        Assert.Equal(day, RequestStatusRule.Deadline(RequestKinds.Attachment, AstanaTime.ToUtc(day, new TimeOnly(10, 0))));
        Assert.Null(RequestStatusRule.Deadline(RequestKinds.Appointment, AstanaTime.ToUtc(day, new TimeOnly(10, 0))));
        var slot = AstanaTime.ToUtc(day.AddDays(2), new TimeOnly(9, 20));
        Assert.False(RequestStatusRule.AppointmentDeadlinePassed(slot, slot.AddTicks(-1)));
        Assert.True(RequestStatusRule.AppointmentDeadlinePassed(slot, slot));

        Assert.False(RequestStatusRule.DeadlinePassed(day, AstanaTime.ToUtc(day, new TimeOnly(23, 59, 59))));
        Assert.True(RequestStatusRule.DeadlinePassed(day, AstanaTime.StartOfDay(day.AddDays(1))));
    }

    private static readonly DateOnly Day = new(2026, 3, 4);
    private static readonly DateTimeOffset SignedAt = AstanaTime.ToUtc(Day, new TimeOnly(10, 0));
    private static readonly Guid Id = Guid.Parse("3f2b8c1e-0000-4000-8000-000000000001");

    private static RequestStatusRow Row(string? outbox = "queued", string? number = null, string? decision = null,
        string? reason = null, string? messages = null, string? error = null, string? visitDate = null) => new()
    {
        RequestId = Id, Kind = RequestKinds.HomeCall, SignedAt = SignedAt,
        OutboxState = outbox, OutboxRegistrationNumber = number, OutboxError = error,
        DecisionStatus = decision, DecisionRegistrationNumber = decision is null ? null : number, DecisionReason = reason,
        DecisionMessages = messages, VisitDate = visitDate, VisitFrom = visitDate is null ? null : "10:15",
        VisitTo = visitDate is null ? null : "20:00",
    };

    [Fact]
    public void The_number_is_the_short_kiosk_number_until_Central_registers_the_request()
    {
        var queued = RequestStatusItem.From(Row(), "ru", SignedAt);
        Assert.Equal("3F2B-8C1E", queued.Number);
        Assert.False(queued.HasRegistrationNumber);
        Assert.Equal("04.03.2026 10:00", queued.SignedAtText);
        Assert.Equal("04.03.2026", queued.Deadline);

        var registered = RequestStatusItem.From(Row("sent", "HC-20260304-000007"), "ru", SignedAt);
        Assert.Equal(RequestStatus.Registered, registered.Status);
        Assert.Equal("HC-20260304-000007", registered.Number);
        Assert.Equal("3F2B-8C1E", registered.ShortNumber);
        Assert.True(registered.HasRegistrationNumber);
    }

    [Fact]
    public void A_refusal_reads_Centrals_text_in_the_citizens_language_and_else_the_kiosks_own_for_the_code()
    {
        const string messages = """{"kk":"Қазақша себеп","ru":"Причина по-русски","en":"The reason in English"}""";
        foreach (var (lang, text) in new[] { ("kk", "Қазақша себеп"), ("ru", "Причина по-русски"), ("en", "The reason in English") })
        {
            var item = RequestStatusItem.From(Row("sent", "HC-1", "refused", RefusalReasons.AfterCutOff, messages), lang, SignedAt);
            Assert.Equal(RequestStatus.Refused, item.Status);
            Assert.Equal(RefusalReasons.AfterCutOff, item.ReasonCode);
            Assert.Equal(text, item.ReasonText);
        }

        // No texts from Central (or unreadable ones): the kiosk's catalog for the code.
        foreach (var broken in new[] { null, "", "not json", """{"ru":""}""" })
        {
            var item = RequestStatusItem.From(Row("sent", "HC-1", "refused", RefusalReasons.DayOver, broken), "en", SignedAt);
            Assert.Equal(RefusalReasons.For(RefusalReasons.DayOver, "en"), item.ReasonText);
        }

        // An unknown code and no texts: no words to show (the page says to call 1414), but the code stays.
        var unknown = RequestStatusItem.From(Row("sent", "HC-1", "refused", "some-new-rule"), "ru", SignedAt);
        Assert.Null(unknown.ReasonText);
        Assert.Equal("some-new-rule", unknown.ReasonCode);
        // A refused request's day is over, but it is decided: no "deadline passed" warning.
        Assert.False(RequestStatusItem.From(Row("sent", "HC-1", "refused", RefusalReasons.DayOver), "ru", SignedAt.AddDays(2)).DeadlinePassed);
    }

    [Fact]
    public void A_rejected_request_carries_its_reason_code_and_the_EDS_words_when_it_is_an_EDS_problem()
    {
        var revoked = RequestStatusItem.From(Row("dead", error: EdsProblemCodes.Revoked), "kk", SignedAt);
        Assert.Equal(RequestStatus.Rejected, revoked.Status);
        Assert.Equal(EdsProblemCodes.Revoked, revoked.ReasonCode);
        Assert.Equal(EdsMessages.For(EdsProblemCodes.Revoked, "kk"), revoked.ReasonText);

        var other = RequestStatusItem.From(Row("dead", error: "request-id-mismatch"), "ru", SignedAt);
        Assert.Equal("request-id-mismatch", other.ReasonCode);
        Assert.Null(other.ReasonText);
    }

    [Fact]
    public void An_accepted_home_call_shows_its_visit_window()
    {
        var item = RequestStatusItem.From(Row("sent", "HC-1", "accepted", visitDate: "2026-03-04"), "ru", SignedAt);
        Assert.Equal(RequestStatus.Accepted, item.Status);
        Assert.Equal(("04.03.2026", "10:15", "20:00"), item.Visit);
        Assert.Null(item.ReasonText);
    }

    [Fact]
    public void An_undecided_request_whose_day_is_over_is_flagged()
    {
        Assert.False(RequestStatusItem.From(Row(), "ru", AstanaTime.ToUtc(Day, new TimeOnly(23, 0))).DeadlinePassed);
        Assert.True(RequestStatusItem.From(Row(), "ru", AstanaTime.ToUtc(Day.AddDays(1), new TimeOnly(8, 0))).DeadlinePassed);
        Assert.True(RequestStatusItem.From(Row("sent", "HC-1"), "ru", AstanaTime.ToUtc(Day.AddDays(1), new TimeOnly(8, 0))).DeadlinePassed);
    }
}
