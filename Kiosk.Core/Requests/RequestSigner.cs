using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;

namespace Kiosk.Core.Requests;

/// <summary>
/// The citizen's explicit act of signing a request (issue 3 item 4, DESIGN §3.1 step 3, the regulation's
/// "condition 2"). One call:
/// <list type="number">
/// <item>opens the signing key file in memory with the password just typed (<see cref="Pkcs12KeyFile"/>); a file that
/// does not open gives its code (<c>wrong-password</c>, <c>not-pkcs12</c>, <c>file-too-large</c>, <c>no-private-key</c>,
/// <c>key-file-unreadable</c>);</item>
/// <item>checks the certificate for <see cref="CertificatePurpose.Signing"/> at the signing time (an AUTH key is
/// <c>wrong-key-usage</c>; <c>revoked</c>, <c>expired</c>, <c>untrusted</c>… as the checker says);</item>
/// <item>requires the certificate's IIN to be the document's signer's — the applicant's, or at the desk the registrar's
/// (<see cref="RequestDocument.SignerIin"/>; <c>iin-mismatch</c>);</item>
/// <item>signs the document's exact bytes as a detached CMS (<see cref="DetachedCmsSigner"/>);</item>
/// <item>verifies what it produced — the signature with the certificate's key, the embedded certificate, the SHA-256
/// message digest against the bytes, the signing time — so a key file whose key does not match its certificate, or
/// any other fault, gives <c>bad-signature</c> or <c>content-mismatch</c> instead of a signature Central would refuse.</item>
/// </list>
/// The key is disposed before the call returns; the password and the key file are neither kept nor logged (this class
/// logs nothing), and no problem detail contains them.
/// </summary>
public sealed class RequestSigner
{
    private readonly CertificateChecker _checker;
    private readonly DetachedCmsVerifier _verifier;
    private readonly TimeProvider _time;

    public RequestSigner(CertificateChecker checker, TimeProvider time)
    {
        _checker = checker ?? throw new ArgumentNullException(nameof(checker));
        _verifier = new DetachedCmsVerifier(checker);
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public RequestSigningResult Sign(RequestDocument document, byte[] keyFile, string? password) =>
        Sign(document, keyFile, password.AsSpan());

    /// <summary>Signs <paramref name="document"/> now (the <see cref="TimeProvider"/>'s time, cut to whole seconds).</summary>
    public RequestSigningResult Sign(RequestDocument document, ReadOnlyMemory<byte> keyFile, ReadOnlySpan<char> password)
    {
        ArgumentNullException.ThrowIfNull(document);
        var signingTime = DetachedCmsSigner.SigningTimeFor(_time.GetUtcNow());

        // (a) The key file, in memory only.
        var opened = Pkcs12KeyFile.Open(keyFile, password);
        if (!opened.Success)
            return RequestSigningResult.Failed([new EdsProblem(opened.ErrorCode!, EdsSeverity.Error, "the signing key file does not open")], null);
        using var key = opened.Key!;

        // (b) The certificate, for signing, at the signing time.
        var check = _checker.Check(key.Certificate, CertificatePurpose.Signing, signingTime, key.ExtraCertificates);
        var problems = new List<EdsProblem>(check.Problems);

        // (c) Whose signature it must be: the applicant's, or at the desk the registrar's who files it.
        if (check.Subject.Iin is { } certificateIin && certificateIin != document.SignerIin)
        {
            problems.Add(new EdsProblem(EdsProblemCodes.IinMismatch, EdsSeverity.Error,
                $"the request must be signed by IIN {document.SignerIin.Masked}, the certificate names IIN {certificateIin.Masked}"));
        }
        if (problems.Any(p => p.IsError)) return RequestSigningResult.Failed(problems, check.Subject);

        // (d) Sign the exact bytes.
        var content = document.ToUtf8Json();
        byte[] signature;
        try
        {
            signature = DetachedCmsSigner.Sign(content, key.Certificate, signingTime, IssuerOf(key));
        }
        catch (CryptographicException e)
        {
            problems.Add(new EdsProblem(EdsProblemCodes.BadSignature, EdsSeverity.Error, $"the key could not sign ({e.GetType().Name})"));
            return RequestSigningResult.Failed(problems, check.Subject);
        }

        // (e) Trust nothing unverified, not even our own signature.
        if (VerifyProduced(content, signature, key.Certificate, signingTime) is { } fault)
        {
            problems.Add(fault);
            return RequestSigningResult.Failed(problems, check.Subject);
        }

        var signed = new SignedRequest(content, signature, check.Thumbprint, signingTime);
        return RequestSigningResult.Succeeded(signed, problems, check.Subject);
    }

    /// <summary>The issuing CA from the key file when it is there: the certificate whose key really signed the leaf.</summary>
    private static X509Certificate2? IssuerOf(EdsKey key)
    {
        var leaf = key.Certificate;
        if (!EdsAlgorithms.TrySplitSigned(leaf.RawDataMemory, out var tbs, out var algorithm, out var leafSignature, out _)) return null;
        return key.ExtraCertificates.FirstOrDefault(c =>
            c.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData) &&
            !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span) &&
            EdsAlgorithms.Verify(algorithm, tbs.Span, leafSignature, c));
    }

    /// <summary>
    /// Null when <paramref name="signature"/> is a valid detached signature of <paramref name="content"/> by this
    /// certificate at this time: the same verification Central runs (<see cref="DetachedCmsVerifier"/>), plus that the
    /// embedded signer and signing time are the ones just used.
    /// </summary>
    internal EdsProblem? VerifyProduced(byte[] content, byte[] signature, X509Certificate2 signer, DateTimeOffset signingTime)
    {
        static EdsProblem Bad(string code, string detail) => new(code, EdsSeverity.Error, "self-check of the new signature: " + detail);
        var result = _verifier.Verify(content, signature, signingTime);
        if (result.Problems.FirstOrDefault(p => p.IsError) is { } error) return Bad(error.Code, error.Detail);
        if (result.SignerCertificate is not { } embedded || !embedded.RawDataMemory.Span.SequenceEqual(signer.RawDataMemory.Span))
            return Bad(EdsProblemCodes.BadSignature, "the signer's certificate is not the one embedded");
        if (result.SigningTime != signingTime)
            return Bad(EdsProblemCodes.BadSignature, "the signing time is not the one asked for");
        return null;
    }
}

/// <summary>
/// A signed request: the document's exact bytes and the detached CMS signature over them, stored and sent together
/// byte for byte (DESIGN §6's envelope carries both). <see cref="Document"/> is those bytes parsed, never the source of them.
/// </summary>
public sealed class SignedRequest
{
    /// <summary>Parses <paramref name="documentBytes"/> strictly (a <see cref="RequestDocumentFormatException"/> when they are not a document).</summary>
    public SignedRequest(byte[] documentBytes, byte[] signature, string signerThumbprint, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(documentBytes);
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Length == 0) throw new ArgumentException("The signature is empty.", nameof(signature));
        ArgumentException.ThrowIfNullOrWhiteSpace(signerThumbprint);
        Document = RequestDocument.Parse(documentBytes);
        DocumentBytes = documentBytes;
        Signature = signature;
        SignerThumbprint = signerThumbprint;
        SignedAt = signedAt.ToUniversalTime();
    }

    public RequestDocument Document { get; }

    /// <summary>The signed content: exactly these bytes, never re-serialised.</summary>
    public byte[] DocumentBytes { get; }

    /// <summary>The detached CMS SignedData, DER.</summary>
    public byte[] Signature { get; }

    /// <summary>SHA-256 of the signer's certificate, upper-case hex (as <see cref="CertificateCheckResult.Thumbprint"/>).</summary>
    public string SignerThumbprint { get; }

    /// <summary>The signing-time attribute inside the signature (UTC, whole seconds).</summary>
    public DateTimeOffset SignedAt { get; }

    public Guid RequestId => Document.RequestId;
}

/// <summary>
/// The answer of <see cref="RequestSigner.Sign(RequestDocument, ReadOnlyMemory{byte}, ReadOnlySpan{char})"/>: the
/// signed request, or why not. <see cref="Problems"/> can hold warnings on success too (a stale CRL under
/// <see cref="StaleCrlPolicy.Warn"/>).
/// </summary>
public sealed class RequestSigningResult
{
    private RequestSigningResult(SignedRequest? request, IReadOnlyList<EdsProblem> problems, CertificateSubject? signer)
    {
        Request = request;
        Problems = problems;
        Signer = signer;
    }

    internal static RequestSigningResult Failed(IReadOnlyList<EdsProblem> problems, CertificateSubject? signer) => new(null, problems, signer);

    internal static RequestSigningResult Succeeded(SignedRequest request, IReadOnlyList<EdsProblem> warnings, CertificateSubject signer) =>
        new(request, warnings, signer);

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Request))]
    public bool Success => Request is not null;

    public SignedRequest? Request { get; }

    /// <summary>Checker codes, key-file codes and the signature codes (<c>iin-mismatch</c>, <c>bad-signature</c>, <c>content-mismatch</c>).</summary>
    public IReadOnlyList<EdsProblem> Problems { get; }

    /// <summary>Who the signing certificate names; null when the key file did not open.</summary>
    public CertificateSubject? Signer { get; }

    public IEnumerable<string> Codes => Problems.Select(p => p.Code);

    public bool Has(string code) => Problems.Any(p => p.Code == code);

    /// <summary>The citizen-facing message of every problem, in "kk", "ru" or "en".</summary>
    public IReadOnlyList<string> Messages(string language) => Problems.Select(p => p.Message(language)).ToList();
}
