using Microsoft.Data.Sqlite;

namespace Kiosk.Storage;

/// <summary>
/// One SQLite database file. Every connection it opens has foreign keys on, a busy timeout and the configured
/// synchronous level; the file itself is switched to WAL once, when it is first prepared.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDatabase(StorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
            throw new InvalidOperationException("Storage:DatabasePath is not configured.");
        // Every reader of the file needs the handlers (tools too, not only the DI-built apps); registering is idempotent.
        DapperTypeHandlers.Register();
        Path = System.IO.Path.GetFullPath(options.DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = Math.Max(1, options.BusyTimeoutMilliseconds / 1000),
        }.ToString();
        var sync = options.Synchronous == SynchronousMode.Full ? "FULL" : "NORMAL";
        _pragmas = $"PRAGMA busy_timeout={options.BusyTimeoutMilliseconds}; PRAGMA synchronous={sync};";
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Creates the folder and file, turns on WAL and applies the assembly's migrations.</summary>
    public IReadOnlyList<AppliedMigration> Prepare(MigrationSet migrations, TimeProvider time)
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        using var connection = Open();
        using (var wal = connection.CreateCommand())
        {
            // Switching a new file to WAL needs it to itself for a moment; another process preparing the same file at
            // the same instant (the kiosk node and its sync worker) makes it answer the old mode: try again shortly.
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            string? mode = null;
            for (var attempt = 0; attempt < 50; attempt++)
            {
                mode = (string?)wal.ExecuteScalar();
                if (string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase)) break;
                Thread.Sleep(100);
            }
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"SQLite refused WAL mode (got '{mode}').");
        }
        return migrations.Apply(connection, time);
    }
}
