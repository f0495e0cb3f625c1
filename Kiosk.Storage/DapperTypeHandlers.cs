using System.Data;
using System.Globalization;
using Dapper;
using Kiosk.Core.Identity;

namespace Kiosk.Storage;

/// <summary>
/// How domain values are stored in SQLite: instants as ISO-8601 text with their offset (sorts correctly when all are
/// UTC, which the stores keep), GUIDs as lower-case text, IINs as their 12 digits. Registered once per process.
/// </summary>
public static class DapperTypeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.AddTypeHandler(new IinHandler());
    }

    /// <summary>The text form an instant is stored in; exposed so hand-written SQL literals and tests agree.</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = Format(value);
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            DateTimeOffset d => d,
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            _ => throw new DataException($"Cannot read an instant from {value.GetType().Name}."),
        };
    }

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("D");
        }

        public override Guid Parse(object value) => value switch
        {
            string s => Guid.Parse(s),
            byte[] b => new Guid(b),
            Guid g => g,
            _ => throw new DataException($"Cannot read a GUID from {value.GetType().Name}."),
        };
    }

    private sealed class IinHandler : SqlMapper.TypeHandler<Iin>
    {
        public override void SetValue(IDbDataParameter parameter, Iin value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.Value;
        }

        // A stored IIN that no longer parses is corrupt data, not user input: fail loudly.
        public override Iin Parse(object value) => Iin.Parse((string)value);
    }
}
