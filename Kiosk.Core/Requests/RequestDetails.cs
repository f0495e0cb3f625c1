using System.Text.Json;

namespace Kiosk.Core.Requests;

/// <summary>
/// The kind-specific part of a request document (its <c>details</c> object). One subclass per
/// <see cref="RequestKinds">kind</see>; every value is checked when the object is made, so an invalid one never exists.
/// Properties are get-only on purpose: a <c>with</c> expression cannot slip an unchecked value past the constructor.
/// </summary>
public abstract record RequestDetails
{
    private protected RequestDetails()
    {
    }

    /// <summary>The document's <c>kind</c> that goes with these details.</summary>
    public abstract string Kind { get; }

    /// <summary>Only the kind: details hold addresses and phones, which have no place in a log.</summary>
    public sealed override string ToString() => $"{GetType().Name} {{ Kind = {Kind} }}";

    /// <summary>Writes the <c>details</c> object, properties in the documented order.</summary>
    internal abstract void Write(Utf8JsonWriter writer);
}

/// <summary>Home doctor call (issue 4): where, how to reach the citizen, why, and an optional short note.</summary>
public sealed record HomeCallDetails : RequestDetails
{
    public const int MaxAddressLength = 300;
    public const int MaxNoteLength = 500;

    public HomeCallDetails(string address, string phone, string reasonCode, string? note = null)
    {
        Address = RequestRules.Text(address, "details.address", MaxAddressLength);
        Phone = RequestRules.Phone(phone, "details.phone");
        ReasonCode = RequestRules.OneOf(reasonCode, "details.reasonCode", HomeCallReasons.All);
        Note = note is null ? null : RequestRules.Text(note, "details.note", MaxNoteLength);
    }

    /// <summary>The address the doctor comes to (the registry's, or the actual one the citizen typed).</summary>
    public string Address { get; }

    /// <summary>A contact phone in international form: <c>+</c> and 8–15 digits, for example <c>+77011234567</c>.</summary>
    public string Phone { get; }

    /// <summary>One of <see cref="HomeCallReasons"/>.</summary>
    public string ReasonCode { get; }

    public string? Note { get; }

    public override string Kind => RequestKinds.HomeCall;

    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("address", Address);
        writer.WriteString("phone", Phone);
        writer.WriteString("reasonCode", ReasonCode);
        if (Note is not null) writer.WriteString("note", Note);
        writer.WriteEndObject();
    }
}

/// <summary>Doctor appointment (issue 5): a slot of a doctor's schedule, named by Central's ids and its start.</summary>
public sealed record AppointmentDetails : RequestDetails
{
    public AppointmentDetails(long clinicId, long doctorId, long slotId, DateTimeOffset slotStart)
    {
        ClinicId = RequestRules.Id(clinicId, "details.clinicId");
        DoctorId = RequestRules.Id(doctorId, "details.doctorId");
        SlotId = RequestRules.Id(slotId, "details.slotId");
        SlotStart = RequestRules.Instant(slotStart);
    }

    public long ClinicId { get; }
    public long DoctorId { get; }
    public long SlotId { get; }

    /// <summary>When the slot starts (UTC, millisecond precision): what the citizen saw and chose, so Central can tell a moved slot.</summary>
    public DateTimeOffset SlotStart { get; }

    public override string Kind => RequestKinds.Appointment;

    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteSlot(writer);
        writer.WriteEndObject();
    }

    /// <summary>The slot's four members, shared with a cancellation of this booking.</summary>
    internal void WriteSlot(Utf8JsonWriter writer)
    {
        writer.WriteNumber("clinicId", ClinicId);
        writer.WriteNumber("doctorId", DoctorId);
        writer.WriteNumber("slotId", SlotId);
        writer.WriteString("slotStart", RequestRules.FormatInstant(SlotStart));
    }
}

/// <summary>Attachment to a primary-care clinic (issue 5): the clinic, the reason and, on a change of residence, the new address.</summary>
public sealed record AttachmentDetails : RequestDetails
{
    public const int MaxAddressLength = HomeCallDetails.MaxAddressLength;

    /// <param name="newDistrict">On a change of residence: the code of the new address's district (Central's reference
    /// data), which Central checks the clinic against; absent, Central uses the district the registry holds.</param>
    public AttachmentDetails(long clinicId, string reason, string? newAddress = null, string? newDistrict = null)
    {
        ClinicId = RequestRules.Id(clinicId, "details.clinicId");
        Reason = RequestRules.OneOf(reason, "details.reason", AttachmentReasons.All);
        var moving = Reason == AttachmentReasons.ChangeOfResidence;
        if (moving && newAddress is null)
            throw new ArgumentException("details.newAddress is required when the reason is change-of-residence.", nameof(newAddress));
        if (!moving && newAddress is not null)
            throw new ArgumentException("details.newAddress is only allowed when the reason is change-of-residence.", nameof(newAddress));
        if (!moving && newDistrict is not null)
            throw new ArgumentException("details.newDistrict is only allowed when the reason is change-of-residence.", nameof(newDistrict));
        NewAddress = newAddress is null ? null : RequestRules.Text(newAddress, "details.newAddress", MaxAddressLength);
        NewDistrict = newDistrict is null ? null : RequestRules.DistrictCode(newDistrict, "details.newDistrict");
    }

    public long ClinicId { get; }

    /// <summary>One of <see cref="AttachmentReasons"/>.</summary>
    public string Reason { get; }

    /// <summary>The new address: present exactly when <see cref="Reason"/> is <c>change-of-residence</c>.</summary>
    public string? NewAddress { get; }

    /// <summary>The new address's district code (optional, change of residence only; added to version 1 for issue 5).</summary>
    public string? NewDistrict { get; }

    public override string Kind => RequestKinds.Attachment;

    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("clinicId", ClinicId);
        writer.WriteString("reason", Reason);
        if (NewAddress is not null) writer.WriteString("newAddress", NewAddress);
        if (NewDistrict is not null) writer.WriteString("newDistrict", NewDistrict);
        writer.WriteEndObject();
    }
}

/// <summary>
/// A signed cancellation of a booked appointment (issue 5): kind <c>appointment</c> with <c>"action":"cancel"</c>. It
/// names the booking by the id of the appointment request that made it, and repeats that booking's clinic, doctor,
/// slot and start so the signed text says what is cancelled. Central frees the slot when the booking is the signer's
/// and still in the future. The same service as the booking (the regulation's «Запись на прием к врачу»), so it keeps
/// the kind and adds an action; a document without <c>action</c> is a booking, byte for byte as before.
/// </summary>
public sealed record AppointmentCancellationDetails : RequestDetails
{
    /// <summary>The value of <c>details.action</c> of a cancellation (a booking has no <c>action</c>).</summary>
    public const string CancelAction = "cancel";

    public AppointmentCancellationDetails(Guid cancelsRequestId, long clinicId, long doctorId, long slotId, DateTimeOffset slotStart)
    {
        CancelsRequestId = RequestRules.RequestId(cancelsRequestId, "details.cancelsRequestId");
        Booking = new AppointmentDetails(clinicId, doctorId, slotId, slotStart);
    }

    /// <summary>The <c>requestId</c> of the appointment request whose booking is cancelled.</summary>
    public Guid CancelsRequestId { get; }

    /// <summary>The booking that is cancelled, as its request named it (checked the same way).</summary>
    public AppointmentDetails Booking { get; }

    public long ClinicId => Booking.ClinicId;
    public long DoctorId => Booking.DoctorId;
    public long SlotId => Booking.SlotId;
    public DateTimeOffset SlotStart => Booking.SlotStart;

    public override string Kind => RequestKinds.Appointment;

    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("action", CancelAction);
        writer.WriteString("cancelsRequestId", RequestRules.FormatRequestId(CancelsRequestId));
        Booking.WriteSlot(writer);
        writer.WriteEndObject();
    }
}
