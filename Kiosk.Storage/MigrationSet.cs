using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Kiosk.Storage;

public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

public sealed record AppliedMigration(int Version, string Name, string Checksum, DateTimeOffset AppliedAt);

/// <summary>
/// Numbered SQL scripts (<c>0001_name.sql</c>) embedded in an assembly, applied in order, each in its own transaction
/// and recorded in <c>schema_migrations</c> with a checksum, so an edited script that already ran is caught at start.
/// </summary>
public sealed partial class MigrationSet
{
    public MigrationSet(IEnumerable<Migration> migrations)
    {
        Migrations = migrations.OrderBy(m => m.Version).ToList();
        var duplicate = Migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");
    }

    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>Reads every embedded resource whose name ends in <c>.NNNN_name.sql</c>.</summary>
    public static MigrationSet FromEmbeddedResources(Assembly assembly)
    {
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(resource);
            if (!match.Success) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            list.Add(new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd()));
        }
        if (list.Count == 0) throw new InvalidOperationException($"{assembly.GetName().Name} embeds no migrations.");
        return new MigrationSet(list);
    }

    public IReadOnlyList<AppliedMigration> Apply(SqliteConnection connection, TimeProvider time)
    {
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                checksum   TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """);
        var applied = connection.Query<(long Version, string Name, string Checksum)>(
                "SELECT version, name, checksum FROM schema_migrations")
            .ToDictionary(r => (int)r.Version);
        foreach (var migration in Migrations)
        {
            if (applied.TryGetValue(migration.Version, out var done))
            {
                if (done.Checksum != migration.Checksum)
                    throw new InvalidOperationException(
                        $"Migration {migration.Version:D4}_{migration.Name} was changed after it was applied; add a new migration instead.");
                continue;
            }
            using var tx = connection.BeginTransaction(); // BEGIN IMMEDIATE: one process at a time past this point
            // Another process sharing the file (the kiosk node and its sync worker) may have applied it meanwhile.
            var appliedMeanwhile = connection.QuerySingleOrDefault<string>(
                "SELECT checksum FROM schema_migrations WHERE version = @Version", new { migration.Version }, tx);
            if (appliedMeanwhile is not null)
            {
                if (appliedMeanwhile != migration.Checksum)
                    throw new InvalidOperationException(
                        $"Migration {migration.Version:D4}_{migration.Name} was changed after it was applied; add a new migration instead.");
                tx.Commit();
                continue;
            }
            connection.Execute(migration.Sql, transaction: tx);
            connection.Execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
                new { migration.Version, migration.Name, migration.Checksum, AppliedAt = time.GetUtcNow() }, tx);
            tx.Commit();
        }
        return connection.Query<(long Version, string Name, string Checksum, DateTimeOffset AppliedAt)>(
                "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
            .Select(r => new AppliedMigration((int)r.Version, r.Name, r.Checksum, r.AppliedAt))
            .ToList();
    }

    [GeneratedRegex(@"\.(\d{4})_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
