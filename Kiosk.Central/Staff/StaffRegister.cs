using Dapper;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Staff;

public enum StaffChange { Done, NotFound, Exists, BadOrganisation }

/// <summary>One row of <c>staff list</c> and of the register's own reads (no password hash).</summary>
public sealed record StaffListEntry(string Iin, string Name, string Bin, string Roles, DateTimeOffset? DisabledAt, DateTimeOffset? LockedUntil,
    DateTimeOffset UpdatedAt);

/// <summary>
/// Central's staff register (issue 12 item 1; <c>staff_accounts</c> of migration 0007): the admin command's changes,
/// the lookup of Central's own sign-in with its lockout, the accounts a kiosk node may let sign in, and the check of a
/// staff-filed request's account. Personal data (IINs, names) stays in the database and in the admin's terminal,
/// never in a log line.
/// </summary>
public sealed class StaffRegister(SqliteDatabase db, TimeProvider time)
{
    public StaffChange Add(Iin iin, string name, Bin organisation, IReadOnlySet<string> roles, string passwordHash)
    {
        var now = time.GetUtcNow();
        using var c = db.Open();
        var added = c.Execute("""
            INSERT INTO staff_accounts (iin, name, bin, roles, password_hash, created_at, updated_at)
            VALUES (@iin, @name, @bin, @roles, @passwordHash, @now, @now)
            ON CONFLICT (iin) DO NOTHING
            """, new { iin = iin.Value, name, bin = organisation.Value, roles = StaffRoles.Format(roles), passwordHash, now });
        return added == 1 ? StaffChange.Done : StaffChange.Exists;
    }

    /// <summary>Disables (or enables again) an account: it cannot sign in anywhere, and Central refuses requests it files.</summary>
    public StaffChange SetDisabled(Iin iin, bool disabled)
    {
        var now = time.GetUtcNow();
        using var c = db.Open();
        var changed = c.Execute("""
            UPDATE staff_accounts
            SET disabled_at = CASE WHEN @disabled THEN COALESCE(disabled_at, @now) ELSE NULL END, updated_at = @now
            WHERE iin = @iin
            """, new { iin = iin.Value, disabled, now });
        return changed == 1 ? StaffChange.Done : StaffChange.NotFound;
    }

    /// <summary>A new password (its hash): also ends a lockout, since the admin has just spoken with the person.</summary>
    public StaffChange ResetPassword(Iin iin, string passwordHash)
    {
        var now = time.GetUtcNow();
        using var c = db.Open();
        var changed = c.Execute("""
            UPDATE staff_accounts SET password_hash = @passwordHash, failures = 0, locked_until = NULL, updated_at = @now
            WHERE iin = @iin
            """, new { iin = iin.Value, passwordHash, now });
        return changed == 1 ? StaffChange.Done : StaffChange.NotFound;
    }

    public IReadOnlyList<StaffListEntry> List()
    {
        using var c = db.Open();
        return c.Query<StaffListEntry>("""
            SELECT iin AS Iin, name AS Name, bin AS Bin, roles AS Roles, disabled_at AS DisabledAt, locked_until AS LockedUntil,
                   updated_at AS UpdatedAt
            FROM staff_accounts ORDER BY bin, name, iin
            """).ToList();
    }

    /// <summary>The account (with its hash) and Central's lockout of it; null when there is none.</summary>
    public (StaffAccount Account, StaffLockout Lockout)? Find(Iin iin)
    {
        using var c = db.Open();
        var row = c.QuerySingleOrDefault<Row>(
            $"SELECT {Columns} FROM staff_accounts WHERE iin = @iin",
            new { iin = iin.Value });
        return row is null ? null : (row.ToAccount(), new StaffLockout((int)row.Failures, row.LockedUntil));
    }

    /// <summary>The account inside the caller's transaction (the intake's desk rule); null when there is none.</summary>
    public static StaffAccount? Find(SqliteConnection c, SqliteTransaction? tx, Iin iin) =>
        c.QuerySingleOrDefault<Row>($"SELECT {Columns} FROM staff_accounts WHERE iin = @iin", new { iin = iin.Value }, tx)?.ToAccount();

    /// <summary>Stores the lockout state Central's sign-in decided.</summary>
    public void SaveLockout(Iin iin, StaffLockout lockout)
    {
        using var c = db.Open();
        c.Execute("UPDATE staff_accounts SET failures = @failures, locked_until = @until WHERE iin = @iin",
            new { iin = iin.Value, failures = lockout.Failures, until = lockout.LockedUntil });
    }

    /// <summary>
    /// The accounts a kiosk node may let sign in: those of its clinic's BIN, and the operators of the provider's own BIN
    /// (<paramref name="providerBin"/>), who look after every kiosk. A disabled account is listed without its hash, so
    /// the node can say "disabled" and end its sessions.
    /// </summary>
    public IReadOnlyList<StaffAccount> ForKiosk(SqliteConnection c, string? clinicBin, string? providerBin)
    {
        if (clinicBin is null && providerBin is null) return [];
        return c.Query<Row>("""
                SELECT iin AS Iin, name AS Name, bin AS Bin, roles AS Roles,
                       CASE WHEN disabled_at IS NULL THEN password_hash END AS PasswordHash, disabled_at AS DisabledAt,
                       0 AS Failures, NULL AS LockedUntil
                FROM staff_accounts
                WHERE bin = @clinicBin OR (bin = @providerBin AND (' ' || roles || ' ') LIKE '% operator %')
                ORDER BY iin
                """, new { clinicBin, providerBin })
            .Select(r => r.ToAccount())
            .ToList();
    }

    private const string Columns = "iin AS Iin, name AS Name, bin AS Bin, roles AS Roles, password_hash AS PasswordHash, " +
                                   "disabled_at AS DisabledAt, failures AS Failures, locked_until AS LockedUntil";

    /// <summary>A row as read (properties, not a constructor: SQLite types a NULL column by its value, which Dapper's
    /// constructor matching trips over).</summary>
    private sealed class Row
    {
        public string Iin { get; init; } = "";
        public string Name { get; init; } = "";
        public string Bin { get; init; } = "";
        public string Roles { get; init; } = "";
        public string? PasswordHash { get; init; }
        public DateTimeOffset? DisabledAt { get; init; }
        public long Failures { get; init; }
        public DateTimeOffset? LockedUntil { get; init; }

        public StaffAccount ToAccount() => new(Core.Identity.Iin.Parse(Iin), Name, Core.Identity.Bin.Parse(Bin),
            StaffRoles.Parse(Roles) ?? new HashSet<string>(), PasswordHash, DisabledAt is not null);
    }
}
