using Dapper;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Storage;

namespace Kiosk.Node.Staff;

/// <summary>The clinic this kiosk node serves, as Central last said (its id in the reference data and its BIN).</summary>
public sealed record NodeClinic(long Id, string? Bin);

/// <summary>Central's staff list for this node, as the sync worker received it.</summary>
public sealed record StaffList(NodeClinic? Clinic, string? ProviderBin, IReadOnlyList<StaffAccount> Accounts);

/// <summary>
/// The staff who may sign in at this node (migration 0009): written as a whole by the sync worker from
/// <c>GET /api/sync/staff</c>, read by the node's staff sign-in and on every request of a staff session; and each
/// account's lockout at this node. The clinic is kept in <c>kiosk_settings</c> with the list, in one transaction.
/// </summary>
public sealed class StaffStore(SqliteDatabase db)
{
    public const string ClinicIdSetting = "staff.clinic_id";
    public const string ClinicBinSetting = "staff.clinic_bin";
    public const string ProviderBinSetting = "staff.provider_bin";
    public const string ETagSetting = "sync.staff.etag";
    public const string PulledAtSetting = "sync.staff.pulled_at";

    /// <summary>Replaces the list (and the clinic) with Central's; lockouts of accounts that left are dropped.</summary>
    public void Replace(StaffList list, string? etag, DateTimeOffset now)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM staff_accounts", transaction: tx);
        foreach (var a in list.Accounts)
            c.Execute("""
                INSERT INTO staff_accounts (iin, name, bin, roles, password_hash, disabled)
                VALUES (@iin, @name, @bin, @roles, @hash, @disabled)
                """, new
            {
                iin = a.Iin.Value, name = a.Name, bin = a.Organisation.Value, roles = StaffRoles.Format(a.Roles),
                hash = a.Disabled ? null : a.PasswordHash, disabled = a.Disabled ? 1 : 0,
            }, tx);
        c.Execute("DELETE FROM staff_lockouts WHERE iin NOT IN (SELECT iin FROM staff_accounts)", transaction: tx);
        KioskSettings.Set(ClinicIdSetting, list.Clinic?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", now, tx);
        KioskSettings.Set(ClinicBinSetting, list.Clinic?.Bin ?? "", now, tx);
        KioskSettings.Set(ProviderBinSetting, list.ProviderBin ?? "", now, tx);
        KioskSettings.Set(ETagSetting, etag ?? "", now, tx);
        KioskSettings.Set(PulledAtSetting, DapperTypeHandlers.Format(now), now, tx);
        tx.Commit();
    }

    public StaffAccount? Find(Iin iin)
    {
        using var c = db.Open();
        var row = c.QuerySingleOrDefault<Row>(
            "SELECT iin AS Iin, name AS Name, bin AS Bin, roles AS Roles, password_hash AS PasswordHash, disabled AS Disabled FROM staff_accounts WHERE iin = @iin",
            new { iin = iin.Value });
        return row?.ToAccount();
    }

    public int Count()
    {
        using var c = db.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM staff_accounts");
    }

    /// <summary>The clinic Central last named for this node; null before the first pull or when it has none.</summary>
    public NodeClinic? Clinic()
    {
        using var c = db.Open();
        var id = KioskSettings.Get(ClinicIdSetting, c, null);
        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var clinicId)) return null;
        var bin = KioskSettings.Get(ClinicBinSetting, c, null);
        return new NodeClinic(clinicId, string.IsNullOrEmpty(bin) ? null : bin);
    }

    public StaffLockout Lockout(Iin iin)
    {
        using var c = db.Open();
        var row = c.QuerySingleOrDefault<(long Failures, DateTimeOffset? LockedUntil)?>(
            "SELECT failures, locked_until FROM staff_lockouts WHERE iin = @iin", new { iin = iin.Value });
        return row is { } r ? new StaffLockout((int)r.Failures, r.LockedUntil) : StaffLockout.None;
    }

    /// <summary>Stores an account's lockout (a clean state removes its row). Written with synchronous=FULL like the rest of the file.</summary>
    public void SaveLockout(Iin iin, StaffLockout lockout)
    {
        using var c = db.Open();
        if (lockout == StaffLockout.None)
            c.Execute("DELETE FROM staff_lockouts WHERE iin = @iin", new { iin = iin.Value });
        else
            c.Execute("""
                INSERT INTO staff_lockouts (iin, failures, locked_until) VALUES (@iin, @failures, @until)
                ON CONFLICT (iin) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until
                """, new { iin = iin.Value, failures = lockout.Failures, until = lockout.LockedUntil });
    }

    private sealed class Row
    {
        public string Iin { get; init; } = "";
        public string Name { get; init; } = "";
        public string Bin { get; init; } = "";
        public string Roles { get; init; } = "";
        public string? PasswordHash { get; init; }
        public long Disabled { get; init; }

        public StaffAccount ToAccount() => new(Core.Identity.Iin.Parse(Iin), Name, Core.Identity.Bin.Parse(Bin),
            StaffRoles.Parse(Roles) ?? new HashSet<string>(), PasswordHash, Disabled == 1);
    }
}
