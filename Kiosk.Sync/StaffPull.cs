using System.Text.Json;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Node;
using Kiosk.Node.Staff;
using Microsoft.Extensions.Logging;

namespace Kiosk.Sync;

/// <summary>
/// The staff list of each sync round (issue 12 item 1; docs/staff.md): asks Central (<c>GET /api/sync/staff</c>, with
/// the last ETag) for the accounts that may sign in at this node and the clinic it serves, and replaces the node's copy
/// when it changed (<see cref="StaffStore.Replace"/>, one transaction). An account Central disabled or removed stops
/// signing in here, and its open sessions end, at the next round. An answer that does not read as a list changes
/// nothing (the old list stays: staff keep signing in while Central is down or confused).
/// </summary>
public sealed partial class StaffPull(CentralClient central, StaffStore store, KioskSettings settings, TimeProvider time, ILogger<StaffPull> logger)
{
    /// <summary>Null when done, else the failed call's problem code.</summary>
    public async Task<string?> PullAsync(string credential, CancellationToken cancellationToken)
    {
        var etag = settings.Get(StaffStore.ETagSetting);
        var result = await central.GetJsonIfChangedAsync(credential, "api/sync/staff", string.IsNullOrEmpty(etag) ? null : etag, Read, cancellationToken);
        if (!result.Ok) return result.Problem;
        var (list, newEtag) = result.Value!;
        if (list is null) return null; // 304: unchanged
        store.Replace(list, newEtag, time.GetUtcNow());
        LogReplaced(list.Accounts.Count, list.Clinic?.Id);
        return null;
    }

    /// <summary>Reads Central's answer strictly: an account that does not read (a bad IIN, BIN or role) makes the whole answer unusable.</summary>
    internal static StaffList? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("accounts", out var accounts) || accounts.ValueKind != JsonValueKind.Array)
            return null;
        NodeClinic? clinic = null;
        if (root.TryGetProperty("clinic", out var c) && c.ValueKind == JsonValueKind.Object)
        {
            if (!c.TryGetProperty("id", out var id) || !id.TryGetInt64(out var clinicId)) return null;
            var bin = c.TryGetProperty("bin", out var b) && b.ValueKind == JsonValueKind.String && Bin.TryParse(b.GetString(), out var parsed) ? parsed.Value : null;
            clinic = new NodeClinic(clinicId, bin);
        }
        var providerBin = root.TryGetProperty("providerBin", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var list = new List<StaffAccount>();
        foreach (var a in accounts.EnumerateArray())
        {
            if (a.ValueKind != JsonValueKind.Object) return null;
            if (!Iin.TryParse(Text(a, "iin"), out var iin) || !Bin.TryParse(Text(a, "bin"), out var organisation)) return null;
            var name = Text(a, "name");
            if (string.IsNullOrWhiteSpace(name) || name.Length > StaffAccount.MaxNameLength) return null;
            if (!a.TryGetProperty("roles", out var roles) || roles.ValueKind != JsonValueKind.Array) return null;
            var parsedRoles = StaffRoles.Parse(string.Join(' ', roles.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.String ? r.GetString() : "?")));
            if (parsedRoles is null) return null;
            var disabled = a.TryGetProperty("disabled", out var d) && d.ValueKind == JsonValueKind.True;
            var hash = Text(a, "passwordHash");
            list.Add(new StaffAccount(iin, name, organisation, parsedRoles, disabled ? null : hash, disabled));
        }
        return new StaffList(clinic, providerBin, list);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [LoggerMessage(LogLevel.Information, "Staff list from Central: {Count} accounts may sign in at this node (clinic {ClinicId})")]
    private partial void LogReplaced(int count, long? clinicId);
}
