using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Identity;

namespace Kiosk.Core.Eds;

/// <summary>
/// Who a certificate names, read per the national CA's profile (DESIGN §4): SERIALNUMBER (2.5.4.5) = "IIN" + 12
/// digits; CN = surname and first name; SURNAME (2.5.4.4); GIVENNAME (2.5.4.42) = the patronymic, not the first
/// name; for a legal entity's employee OU (2.5.4.11) = "BIN" + 12 digits and O = the organisation.
/// </summary>
public sealed record CertificateSubject(
    Iin? Iin,
    Bin? Bin,
    string? Surname,
    string? FirstName,
    string? Patronymic,
    string? CommonName,
    string? Organisation,
    string? Country)
{
    public const string SerialNumberOid = "2.5.4.5";
    public const string CommonNameOid = "2.5.4.3";
    public const string SurnameOid = "2.5.4.4";
    public const string CountryOid = "2.5.4.6";
    public const string OrganisationOid = "2.5.4.10";
    public const string OrganisationalUnitOid = "2.5.4.11";
    public const string GivenNameOid = "2.5.4.42";

    public const string IinPrefix = "IIN";
    public const string BinPrefix = "BIN";

    public static CertificateSubject Empty { get; } = new(null, null, null, null, null, null, null, null);

    /// <summary>"SURNAME FIRSTNAME PATRONYMIC" as far as known, for screens and journals.</summary>
    public string FullName =>
        string.Join(' ', new[] { Surname, FirstName, Patronymic }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } s
            ? s
            : CommonName ?? "";

    /// <summary>
    /// Reads the subject. <paramref name="problems"/> gets <c>no-iin</c> (no SERIALNUMBER starting "IIN") or
    /// <c>bad-iin</c> (an IIN that fails validation, two different IINs, or a BIN in OU that fails validation).
    /// Throws <see cref="CryptographicException"/> when the name is not valid DER.
    /// </summary>
    public static CertificateSubject Read(X500DistinguishedName name, out IReadOnlyList<EdsProblem> problems)
    {
        var attributes = ReadAttributes(name.RawData);
        var found = new List<EdsProblem>();

        string? First(string oid) => attributes.FirstOrDefault(a => a.Oid == oid).Value;

        Iin? iin = null;
        var iinValues = attributes
            .Where(a => a.Oid == SerialNumberOid && a.Value.StartsWith(IinPrefix, StringComparison.Ordinal))
            .Select(a => a.Value[IinPrefix.Length..])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (iinValues.Count == 0)
        {
            found.Add(new EdsProblem(EdsProblemCodes.NoIin, EdsSeverity.Error,
                "the subject has no SERIALNUMBER attribute of the form IIN + 12 digits"));
        }
        else if (iinValues.Count > 1)
        {
            found.Add(new EdsProblem(EdsProblemCodes.BadIin, EdsSeverity.Error, "the subject names more than one IIN"));
        }
        else if (Kiosk.Core.Identity.Iin.TryParse(iinValues[0], out var parsed, out var error))
        {
            iin = parsed;
        }
        else
        {
            found.Add(new EdsProblem(EdsProblemCodes.BadIin, EdsSeverity.Error, $"the IIN in SERIALNUMBER is not valid: {error}"));
        }

        Bin? bin = null;
        var binValues = attributes
            .Where(a => a.Oid == OrganisationalUnitOid && a.Value.StartsWith(BinPrefix, StringComparison.Ordinal))
            .Select(a => a.Value[BinPrefix.Length..])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (binValues.Count > 1)
        {
            found.Add(new EdsProblem(EdsProblemCodes.BadIin, EdsSeverity.Error, "the subject names more than one BIN"));
        }
        else if (binValues.Count == 1)
        {
            if (Kiosk.Core.Identity.Bin.TryParse(binValues[0], out var parsedBin, out var binError)) bin = parsedBin;
            else found.Add(new EdsProblem(EdsProblemCodes.BadIin, EdsSeverity.Error, $"the BIN in OU is not valid: {binError}"));
        }

        var commonName = Clean(First(CommonNameOid));
        var surname = Clean(First(SurnameOid));
        problems = found;
        return new CertificateSubject(iin, bin, surname, FirstNameFrom(commonName, surname), Clean(First(GivenNameOid)),
            commonName, Clean(First(OrganisationOid)), Clean(First(CountryOid)));
    }

    /// <summary>CN is "SURNAME FIRSTNAME": the first name is what follows the surname (or the first word).</summary>
    private static string? FirstNameFrom(string? commonName, string? surname)
    {
        if (commonName is null) return null;
        if (surname is not null && commonName.Length > surname.Length &&
            commonName.StartsWith(surname, StringComparison.OrdinalIgnoreCase) && commonName[surname.Length] == ' ')
        {
            return Clean(commonName[surname.Length..]);
        }
        var space = commonName.IndexOf(' ');
        return space > 0 ? Clean(commonName[(space + 1)..]) : null;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Every (type, value) pair of a DER Name, in order; multi-valued RDNs are flattened.</summary>
    internal static List<(string Oid, string Value)> ReadAttributes(ReadOnlyMemory<byte> der)
    {
        var result = new List<(string, string)>();
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var rdns = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            while (rdns.HasData)
            {
                var set = rdns.ReadSetOf();
                while (set.HasData)
                {
                    var atv = set.ReadSequence();
                    var oid = atv.ReadObjectIdentifier();
                    var tag = atv.PeekTag();
                    if (tag.TagClass == TagClass.Universal && IsString((UniversalTagNumber)tag.TagValue))
                    {
                        result.Add((oid, atv.ReadCharacterString((UniversalTagNumber)tag.TagValue)));
                    }
                    else
                    {
                        atv.ReadEncodedValue(); // a value we have no use for (not a string)
                    }
                    atv.ThrowIfNotEmpty();
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The distinguished name is not valid DER.", e);
        }
        return result;
    }

    private static bool IsString(UniversalTagNumber tag) => tag is UniversalTagNumber.UTF8String
        or UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String or UniversalTagNumber.BMPString
        or UniversalTagNumber.T61String or UniversalTagNumber.VisibleString or UniversalTagNumber.NumericString;
}
