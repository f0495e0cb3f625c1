using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kiosk.Core.Identity;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.DemoData;

/// <summary>The deliberately different kinds of person in the demo registry.</summary>
public enum DemoPersonKind
{
    /// <summary>Alive, lives in an Astana district, currently attached to a clinic serving it (about 94 %).</summary>
    Attached,

    /// <summary>Alive, lives in an Astana district, attached nowhere (about 3 %; some have a past attachment).</summary>
    Unattached,

    /// <summary>Has a date of death (about 1 %); the attachment was closed on that date.</summary>
    Deceased,

    /// <summary>Alive, lives outside every clinic's districts (a suburb; about 2 %), attached nowhere.</summary>
    OutsideCity,
}

/// <summary>One IIN of each kind, for tests and demos.</summary>
public sealed record DemoExamples(Iin Attached, Iin Unattached, Iin Deceased, Iin OutsideCity);

public sealed record DemoSeedResult(bool Seeded, int Persons, int Clinics, int Doctors, int Attachments, TimeSpan Elapsed);

/// <summary>
/// Fills an empty Central database with a synthetic population registry, clinics and doctors, generated
/// deterministically from a seed: the same seed gives byte-for-byte the same rows, whatever the date (registry dates
/// are relative to <see cref="RegistryAsOf"/>, not to today). Slots are not made here: <see cref="Schedule.SlotSchedule"/>
/// tops them up from the clinic hours, relative to today.
/// </summary>
public sealed class DemoDataSeeder(int seed, int persons)
{
    /// <summary>The registry describes the population as of this date: births, deaths and attachments lie before it.</summary>
    public static readonly DateOnly RegistryAsOf = new(2025, 12, 31);

    private static readonly DateOnly RegistryFirstAttachments = new(2008, 1, 1);

    // (first, last, weight in %) of birth dates: an age pyramid for a young city.
    private static readonly (DateOnly From, DateOnly To, int Weight)[] BirthBands =
    [
        (new(1935, 1, 1), new(1944, 12, 31), 2), (new(1945, 1, 1), new(1954, 12, 31), 5),
        (new(1955, 1, 1), new(1964, 12, 31), 9), (new(1965, 1, 1), new(1974, 12, 31), 11),
        (new(1975, 1, 1), new(1984, 12, 31), 14), (new(1985, 1, 1), new(1994, 12, 31), 18),
        (new(1995, 1, 1), new(2004, 12, 31), 17), (new(2005, 1, 1), new(2014, 12, 31), 14),
        (new(2015, 1, 1), RegistryAsOf, 10),
    ];

    public int Seed { get; } = seed;
    public int PersonCount { get; } = persons >= 100 ? persons : throw new ArgumentOutOfRangeException(nameof(persons), "At least 100 persons.");

    public DemoDataSeeder(DemoDataOptions options) : this(options.Seed, options.Persons)
    {
    }

    /// <summary>True when the registry and the clinic list are both empty.</summary>
    public static bool IsEmpty(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT (SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM clinics)") == 0;

    /// <summary>Seeds everything in one transaction when the database is empty; otherwise does nothing.</summary>
    public DemoSeedResult SeedIfEmpty(SqliteConnection connection, TimeProvider time)
    {
        var watch = Stopwatch.StartNew();
        using var tx = connection.BeginTransaction();
        if (connection.ExecuteScalar<long>(
                "SELECT (SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM clinics)", transaction: tx) != 0)
            return new DemoSeedResult(false, 0, 0, 0, 0, watch.Elapsed);

        var rng = new Random(Seed);
        var version = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(version), 0) + 1 FROM reference_versions", transaction: tx);
        connection.Execute(
            "INSERT INTO reference_versions (version, created_at, note) VALUES (@version, @at, @note)",
            new { version, at = time.GetUtcNow(), note = $"demo data, seed {Seed}" }, tx);

        WritePlaces(connection, tx, version);
        WriteClinicBins(connection, tx);
        var doctors = WriteDoctors(connection, tx, version, rng);
        var (personCount, attachmentCount) = WritePersons(connection, tx, rng);
        WriteDemoNotice(connection, tx, version, time.GetUtcNow());
        tx.Commit();
        return new DemoSeedResult(true, personCount, DemoPlaces.Clinics.Length, doctors, attachmentCount, watch.Elapsed);
    }

    private static void WritePlaces(SqliteConnection c, SqliteTransaction tx, long version)
    {
        using var district = BulkCommand.Prepare(c, tx,
            "INSERT INTO districts (code, name_ru, name_kk, name_en, in_city, version) VALUES ($code, $ru, $kk, $en, $city, $v)");
        foreach (var d in DemoPlaces.Districts)
            BulkCommand.Run(district, d.Code, d.NameRu, d.NameKk, d.NameEn, d.InCity ? 1 : 0, version);

        using var clinic = BulkCommand.Prepare(c, tx,
            "INSERT INTO clinics (id, name_ru, name_kk, name_en, address, phone, website, version) VALUES ($id, $ru, $kk, $en, $address, $phone, $website, $v)");
        using var served = BulkCommand.Prepare(c, tx, "INSERT INTO clinic_districts (clinic_id, district) VALUES ($clinic, $district)");
        using var hours = BulkCommand.Prepare(c, tx,
            "INSERT INTO clinic_hours (clinic_id, weekday, opens, closes) VALUES ($clinic, $weekday, $opens, $closes)");
        foreach (var k in DemoPlaces.Clinics)
        {
            BulkCommand.Run(clinic, k.Id, k.NameRu, k.NameKk, k.NameEn, k.Address, DemoPhone(k.Id), DemoWebsite(k.Id), version);
            foreach (var d in k.Districts) BulkCommand.Run(served, k.Id, d);
            foreach (var h in k.Hours) BulkCommand.Run(hours, k.Id, (int)h.Day, Clock(h.Opens), Clock(h.Closes));
        }
    }

    /// <summary>The provider's own BIN in the demo (Staff:ProviderBin): the city health department's operators.</summary>
    public const string DemoProviderBin = "010440000015";

    /// <summary>Each demo clinic's BIN (the OU=BIN… of its registrars' employee certificates; issue 12).</summary>
    private static void WriteClinicBins(SqliteConnection c, SqliteTransaction tx)
    {
        using var update = BulkCommand.Prepare(c, tx, "UPDATE clinics SET bin = $bin WHERE id = $id");
        foreach (var k in DemoPlaces.Clinics) BulkCommand.Run(update, ClinicBin(k.Id).Value, k.Id);
    }

    /// <summary>A valid, stable BIN for a demo clinic: registered 05/2005, a resident legal entity, its serial from the id.</summary>
    public static Kiosk.Core.Identity.Bin ClinicBin(int clinicId)
    {
        for (var serial = clinicId * 10; ; serial++)
        {
            var first11 = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"050540{serial % 100_000:D5}");
            if (Kiosk.Core.Identity.CheckDigit.Compute(first11) is { } d) return Kiosk.Core.Identity.Bin.Parse(first11 + d);
        }
    }

    /// <summary>A synthetic Astana landline for a demo clinic (the reference pull sends it to kiosks).</summary>
    private static string DemoPhone(int clinicId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+7 7172 {50 + clinicId % 50:00}-{(clinicId * 37) % 100:00}-{(clinicId * 59) % 100:00}");

    /// <summary>A made-up web site for a demo clinic (Astana's "emhana" naming, a .kz host): the one place its notices may link to.</summary>
    internal static string DemoWebsite(int clinicId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"https://emhana-{clinicId}.astana.kz/");

    /// <summary>
    /// One clinic notice for every demo clinic, so a demo kiosk's start screen shows one (docs/notices.md): flu jabs,
    /// for 90 days from the moment the demo was seeded (not from <see cref="RegistryAsOf"/>: a notice is about now).
    /// Its body goes through the same sanitiser as an operator's.
    /// </summary>
    private static void WriteDemoNotice(SqliteConnection c, SqliteTransaction tx, long version, DateTimeOffset now)
    {
        var hosts = Kiosk.Core.Notices.ClinicWebsite.Hosts(DemoPlaces.Clinics.Select(k => (string?)DemoWebsite(k.Id)));
        string Body(string html) => Kiosk.Core.Notices.NoticeHtml.Sanitize(html, hosts).Html;
        var at = DapperTypeHandlers.Format(now);
        var id = c.ExecuteScalar<long>("""
            INSERT INTO notices (title_kk, title_ru, title_en, body_kk, body_ru, body_en, valid_from, valid_to,
                                 created_by, created_at, updated_by, updated_at, version)
            VALUES (@tk, @tr, @te, @bk, @br, @be, @from, @to, 'demo-data', @at, 'demo-data', @at, @version)
            RETURNING id
            """, new
        {
            tk = "Тұмауға қарсы тегін екпе",
            tr = "Бесплатная прививка от гриппа",
            te = "Free flu vaccination",
            bk = Body("<p>Екпе кабинетінде, <b>дүйсенбі–жұма 08:00–18:00</b>.</p><ul><li>Жеке куәлікті алыңыз.</li><li>Жазылу қажет емес.</li></ul>"),
            br = Body("<p>В прививочном кабинете, <b>понедельник–пятница 08:00–18:00</b>.</p><ul><li>Возьмите удостоверение личности.</li><li>Записываться не нужно.</li></ul>"),
            be = Body("<p>At the vaccination room, <b>Monday to Friday 08:00–18:00</b>.</p><ul><li>Bring your identity card.</li><li>No appointment needed.</li></ul>"),
            from = DapperTypeHandlers.Format(now.AddDays(-1)), to = DapperTypeHandlers.Format(now.AddDays(90)), at, version,
        }, tx);
        foreach (var clinic in DemoPlaces.Clinics)
            c.Execute("INSERT INTO notice_clinics (notice_id, clinic_id) VALUES (@id, @clinic)", new { id, clinic = clinic.Id }, tx);
    }

    private static int WriteDoctors(SqliteConnection c, SqliteTransaction tx, long version, Random rng)
    {
        using var insert = BulkCommand.Prepare(c, tx, """
            INSERT INTO doctors (id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room, version)
            VALUES ($id, $clinic, $surname, $first, $patronymic, $speciality, $minutes, $room, $v)
            """);
        var id = 0;
        foreach (var clinic in DemoPlaces.Clinics)
        {
            int[] counts = [4 + rng.Next(3), 2 + rng.Next(2), 2 + rng.Next(2)];
            var rooms = new HashSet<string>();
            for (var s = 0; s < counts.Length; s++)
            for (var n = 0; n < counts[s]; n++)
            {
                // Most doctors in Kazakhstan's polyclinics are women; they were born 1960–1998.
                var sex = rng.Next(100) < 75 ? Sex.Female : Sex.Male;
                var name = Name(rng, sex, 1960 + rng.Next(39), allowNoPatronymic: false);
                string room;
                do room = $"{1 + rng.Next(4)}{rng.Next(1, 40):D2}"; while (!rooms.Add(room));
                BulkCommand.Run(insert, ++id, clinic.Id, name.Surname, name.First, name.Patronymic, DemoNames.Specialities[s],
                    rng.Next(2) == 0 ? 15 : 20, room, version);
            }
        }
        return id;
    }

    private (int Persons, int Attachments) WritePersons(SqliteConnection c, SqliteTransaction tx, Random rng)
    {
        using var person = BulkCommand.Prepare(c, tx, """
            INSERT INTO persons (iin, surname, first_name, patronymic, sex, birth_date, district, address, deceased_on)
            VALUES ($iin, $surname, $first, $patronymic, $sex, $birth, $district, $address, $deceased)
            """);
        using var attachment = BulkCommand.Prepare(c, tx,
            "INSERT INTO attachments (iin, clinic_id, attached_on, detached_on) VALUES ($iin, $clinic, $on, $off)");

        var cityDistricts = DemoPlaces.Districts.Where(d => d.InCity).ToArray();
        var outside = DemoPlaces.Districts.Where(d => !d.InCity).ToArray();
        var clinicsOf = cityDistricts.ToDictionary(
            d => d.Code, d => DemoPlaces.Clinics.Where(k => k.Districts.Contains(d.Code)).Select(k => k.Id).ToArray());
        var allClinics = DemoPlaces.Clinics.Select(k => k.Id).ToArray();
        var used = new HashSet<string>(PersonCount);
        var attachments = 0;

        for (var i = 0; i < PersonCount; i++)
        {
            var roll = rng.Next(1000);
            var kind = roll switch
            {
                < 10 => DemoPersonKind.Deceased,
                < 30 => DemoPersonKind.OutsideCity,
                < 60 => DemoPersonKind.Unattached,
                _ => DemoPersonKind.Attached,
            };
            var sex = rng.Next(2) == 0 ? Sex.Male : Sex.Female;
            var birth = kind == DemoPersonKind.Deceased
                ? RandomDate(rng, new DateOnly(1935, 1, 1), rng.Next(5) == 0 ? new DateOnly(1990, 12, 31) : new DateOnly(1959, 12, 31))
                : RandomBirthDate(rng);
            Iin iin;
            do iin = Iin.Create(birth, sex, rng.Next(10_000)); while (!used.Add(iin.Value));

            var name = Name(rng, sex, birth.Year, allowNoPatronymic: true);
            var district = kind == DemoPersonKind.OutsideCity ? Pick(rng, outside) : Pick(rng, cityDistricts);
            var address = Address(rng, district);
            DateOnly? deceased = kind == DemoPersonKind.Deceased
                ? RandomDate(rng, Max(birth.AddYears(1), new DateOnly(2010, 1, 1)), RegistryAsOf)
                : null;
            BulkCommand.Run(person, iin.Value, name.Surname, name.First, name.Patronymic, sex == Sex.Male ? "male" : "female",
                Date(birth), district.Code, address, deceased is { } dd ? Date(dd) : null);

            // Attachment history, oldest first so that row ids follow time.
            var firstPossible = Max(birth, RegistryFirstAttachments);
            switch (kind)
            {
                case DemoPersonKind.Attached:
                {
                    var current = Pick(rng, clinicsOf[district.Code]);
                    var since = birth >= RegistryFirstAttachments.AddYears(4)
                        ? Min(birth.AddDays(rng.Next(3, 60)), RegistryAsOf)
                        : RandomDate(rng, RegistryFirstAttachments.AddYears(4), RegistryAsOf);
                    // About one in eight changed clinic (or moved district) before.
                    if (rng.Next(8) == 0 && since.DayNumber - firstPossible.DayNumber > 60)
                    {
                        BulkCommand.Run(attachment, iin.Value, Pick(rng, allClinics), Date(RandomDate(rng, firstPossible, since.AddDays(-30))), Date(since));
                        attachments++;
                    }
                    BulkCommand.Run(attachment, iin.Value, current, Date(since), null);
                    attachments++;
                    break;
                }
                case DemoPersonKind.Unattached when rng.Next(5) < 2 && RegistryAsOf.DayNumber - firstPossible.DayNumber > 60:
                case DemoPersonKind.OutsideCity when rng.Next(5) == 0 && RegistryAsOf.DayNumber - firstPossible.DayNumber > 60:
                {
                    // Detached in the past (moved away, or left a clinic), attached nowhere now.
                    var on = RandomDate(rng, firstPossible, RegistryAsOf.AddDays(-30));
                    var off = RandomDate(rng, on.AddDays(1), RegistryAsOf);
                    var clinic = kind == DemoPersonKind.Unattached ? Pick(rng, clinicsOf[district.Code]) : Pick(rng, allClinics);
                    BulkCommand.Run(attachment, iin.Value, clinic, Date(on), Date(off));
                    attachments++;
                    break;
                }
                case DemoPersonKind.Deceased when deceased is { } died && died > firstPossible:
                {
                    // The registry closes the attachment on the date of death.
                    BulkCommand.Run(attachment, iin.Value, Pick(rng, clinicsOf[district.Code]), Date(RandomDate(rng, firstPossible, died)), Date(died));
                    attachments++;
                    break;
                }
            }
        }
        return (PersonCount, attachments);
    }

    private static (string Surname, string First, string? Patronymic) Name(Random rng, Sex sex, int birthYear, bool allowNoPatronymic)
    {
        var kazakh = rng.Next(100) < 70;
        string surname, first, patronymic;
        if (kazakh)
        {
            surname = DemoNames.Surname(Pick(rng, DemoNames.KazakhSurnames), sex);
            first = Pick(rng, sex == Sex.Male ? DemoNames.KazakhMale : DemoNames.KazakhFemale);
            // The Kazakh form (-ұлы, -қызы) is common for the young, rarer for older people.
            var kazakhForm = rng.Next(100) < (birthYear >= 1995 ? 60 : 15);
            patronymic = DemoNames.KazakhPatronymic(Pick(rng, DemoNames.KazakhFathers), sex, kazakhForm);
        }
        else
        {
            surname = DemoNames.Surname(Pick(rng, DemoNames.RussianSurnames), sex);
            first = Pick(rng, sex == Sex.Male ? DemoNames.RussianMale : DemoNames.RussianFemale);
            var pair = Pick(rng, DemoNames.RussianPatronymics);
            patronymic = sex == Sex.Male ? pair.Male : pair.Female;
        }
        // Some people have no patronymic at all (the registry and the EDS then simply lack it).
        return (surname, first, allowNoPatronymic && rng.Next(100) == 0 ? null : patronymic);
    }

    private static string Address(Random rng, DemoDistrict district)
    {
        var street = Pick(rng, district.Streets);
        if (!district.InCity)
        {
            var house = 1 + rng.Next(80);
            return rng.Next(10) < 7
                ? $"{district.AddressPrefix}, {street}, д. {house}"
                : $"{district.AddressPrefix}, {street}, д. {house}, кв. {1 + rng.Next(40)}";
        }
        var number = (1 + rng.Next(150)).ToString(CultureInfo.InvariantCulture);
        if (rng.Next(10) == 0) number += "/" + (1 + rng.Next(4)).ToString(CultureInfo.InvariantCulture);
        return rng.Next(100) < 90
            ? $"{district.AddressPrefix}, {street}, д. {number}, кв. {1 + rng.Next(300)}"
            : $"{district.AddressPrefix}, {street}, д. {number}";
    }

    private static DateOnly RandomBirthDate(Random rng)
    {
        var r = rng.Next(100);
        foreach (var band in BirthBands)
        {
            if (r < band.Weight) return RandomDate(rng, band.From, band.To);
            r -= band.Weight;
        }
        throw new UnreachableException("Birth band weights must add up to 100.");
    }

    private static DateOnly RandomDate(Random rng, DateOnly from, DateOnly to) =>
        to <= from ? from : DateOnly.FromDayNumber(rng.Next(from.DayNumber, to.DayNumber + 1));

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];
    internal static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    internal static string Clock(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Persons of one kind, in IIN order (so always the same ones for a seed).</summary>
    public static IReadOnlyList<Iin> FindPersons(SqliteConnection connection, DemoPersonKind kind, int limit = 1)
    {
        var where = kind switch
        {
            DemoPersonKind.Attached => """
                p.deceased_on IS NULL AND p.birth_date BETWEEN '1960-01-01' AND '2000-12-31'
                AND EXISTS (SELECT 1 FROM attachments a WHERE a.iin = p.iin AND a.detached_on IS NULL)
                """,
            DemoPersonKind.Unattached => """
                p.deceased_on IS NULL
                AND EXISTS (SELECT 1 FROM clinic_districts cd WHERE cd.district = p.district)
                AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.iin = p.iin AND a.detached_on IS NULL)
                """,
            DemoPersonKind.Deceased => "p.deceased_on IS NOT NULL",
            DemoPersonKind.OutsideCity => """
                p.deceased_on IS NULL AND NOT EXISTS (SELECT 1 FROM clinic_districts cd WHERE cd.district = p.district)
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return connection.Query<string>($"SELECT p.iin FROM persons p WHERE {where} ORDER BY p.iin LIMIT @limit", new { limit })
            .Select(Iin.Parse).ToList();
    }

    /// <summary>One person of each awkward kind (and an ordinary attached adult) from a seeded database.</summary>
    public static DemoExamples FindExamples(SqliteConnection connection)
    {
        Iin One(DemoPersonKind kind) => FindPersons(connection, kind) is [var iin, ..]
            ? iin
            : throw new InvalidOperationException($"The registry has no person of kind {kind}.");
        return new DemoExamples(One(DemoPersonKind.Attached), One(DemoPersonKind.Unattached),
            One(DemoPersonKind.Deceased), One(DemoPersonKind.OutsideCity));
    }

    /// <summary>
    /// SHA-256 over the registry and the clinic and doctor lists (not slots, not versions or timestamps): equal for two
    /// databases seeded with the same seed, different for different seeds.
    /// </summary>
    public static string RegistryHash(SqliteConnection connection) => Hash(connection,
        "SELECT code, name_ru, name_kk, name_en, in_city FROM districts ORDER BY code",
        "SELECT id, name_ru, name_kk, name_en, address FROM clinics ORDER BY id",
        "SELECT clinic_id, district FROM clinic_districts ORDER BY clinic_id, district",
        "SELECT clinic_id, weekday, opens, closes FROM clinic_hours ORDER BY clinic_id, weekday",
        "SELECT id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room FROM doctors ORDER BY id",
        "SELECT iin, surname, first_name, patronymic, sex, birth_date, district, address, deceased_on FROM persons ORDER BY iin",
        "SELECT iin, clinic_id, attached_on, detached_on FROM attachments ORDER BY iin, attached_on");

    /// <summary>SHA-256 over every slot (doctor, start, end).</summary>
    public static string ScheduleHash(SqliteConnection connection) =>
        Hash(connection, "SELECT doctor_id, starts_at, ends_at FROM slots ORDER BY doctor_id, starts_at");

    private static string Hash(SqliteConnection connection, params string[] queries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sb = new StringBuilder();
        foreach (var sql in queries)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            sb.Clear().Append(sql).Append('\u001d');
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    sb.Append(reader.IsDBNull(i) ? "\u0000" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('\u001f');
                sb.Append('\u001e');
                if (sb.Length > 64 * 1024)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
                    sb.Clear();
                }
            }
            hash.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
