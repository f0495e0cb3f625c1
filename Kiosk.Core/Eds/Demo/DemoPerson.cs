using Kiosk.Core.Identity;

namespace Kiosk.Core.Eds.Demo;

/// <summary>A person the demo CA issues keys to: in the product, someone from Central's population registry.</summary>
public sealed record DemoPerson(Iin Iin, string Surname, string FirstName, string? Patronymic)
{
    public string FullName => string.Join(' ', new[] { Surname, FirstName, Patronymic }.Where(s => !string.IsNullOrWhiteSpace(s)));

    /// <summary>
    /// Reads people from tab-separated lines <c>IIN, surname, first name, patronymic</c> (the patronymic may be empty).
    /// Blank lines, lines starting with '#' and a header line starting with "iin" are skipped.
    /// </summary>
    public static IReadOnlyList<DemoPerson> ReadTsv(TextReader reader, out IReadOnlyList<string> errors)
    {
        var people = new List<DemoPerson>();
        var problems = new List<string>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#')) continue;
            var cells = line.Split('\t').Select(c => c.Trim()).ToArray();
            if (lineNumber == 1 && cells[0].StartsWith("iin", StringComparison.OrdinalIgnoreCase)) continue;
            if (cells.Length < 3 || cells[1].Length == 0 || cells[2].Length == 0)
            {
                problems.Add($"line {lineNumber}: expected IIN, surname, first name[, patronymic] separated by tabs");
                continue;
            }
            if (!Iin.TryParse(cells[0], out var iin, out var error))
            {
                problems.Add($"line {lineNumber}: {cells[0]} is not a valid IIN ({error})");
                continue;
            }
            people.Add(new DemoPerson(iin, cells[1], cells[2], cells.Length > 3 && cells[3].Length > 0 ? cells[3] : null));
        }
        errors = problems;
        return people;
    }
}
