using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central;

/// <summary>
/// One INSERT compiled once and run many times with new parameter values inside a transaction: how the demo data and
/// the slot top-up write tens of thousands of rows in well under a second.
/// </summary>
internal static partial class BulkCommand
{
    /// <summary>Prepares <paramref name="sql"/>; its <c>$name</c> parameters are set by position, in order of first appearance.</summary>
    public static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (Match m in ParameterName().Matches(sql))
            if (!command.Parameters.Contains(m.Value)) command.Parameters.Add(new SqliteParameter(m.Value, DBNull.Value));
        command.Prepare();
        return command;
    }

    /// <summary>Runs the prepared command with these parameter values; returns the rows changed.</summary>
    public static int Run(SqliteCommand command, params object?[] values)
    {
        if (values.Length != command.Parameters.Count)
            throw new ArgumentException($"The command takes {command.Parameters.Count} values, not {values.Length}.", nameof(values));
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQuery();
    }

    [GeneratedRegex(@"\$\w+")]
    private static partial Regex ParameterName();
}
