using System.ComponentModel;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace Kiosk.Central.Eds;

/// <summary>
/// The EDS verification API (issue 3, item 5), for anyone who needs to check evidence:
/// <list type="bullet">
/// <item><c>POST /api/eds/certificates/verify?purpose=auth|sign</c>: a DER or PEM certificate (PEM: further blocks are
/// the chain; DER may be followed by PEM chain blocks) as the raw body, or multipart field <c>certificate</c> plus
/// optional <c>chain</c> fields;</item>
/// <item><c>POST /api/eds/cms/verify</c>: multipart fields <c>content</c> and <c>signature</c> (detached CMS, DER or PEM).</item>
/// </list>
/// Both answer <see cref="EdsVerificationResponse"/>: 200 when the input could be checked (valid or not), 400 with
/// <c>malformed</c> when it could not, 413 over <see cref="PkiOptions.MaxRequestBytes"/>, 415 for other content types.
/// The bodies are read into memory here (bounded), never through form binding: there is no antiforgery check because
/// the API uses no cookies or other ambient credentials and changes nothing, so a cross-site request can do nothing a
/// direct caller cannot. Nothing of the input is logged.
/// </summary>
public static class EdsVerificationEndpoints
{
    /// <summary>Raw body content types of the certificate endpoint (DER or PEM is recognised from the bytes).</summary>
    public static readonly IReadOnlyList<string> CertificateContentTypes =
    [
        "application/pkix-cert", "application/x-x509-ca-cert", "application/x-x509-user-cert", "application/x-pem-file",
        "application/pem-certificate-chain", "application/octet-stream",
    ];

    public const string Multipart = "multipart/form-data";
    private const int MaxParts = 16;

    public static IServiceCollection AddEdsVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PkiOptions>()
            .Bind(configuration.GetSection(PkiOptions.Section))
            .Validate(o => o.MaxRequestBytes is > 0 and <= 16 * 1024 * 1024, "Pki:MaxRequestBytes must be between 1 and 16 MiB.")
            .Validate(o => o.ReloadDebounce >= TimeSpan.Zero && o.RecheckInterval >= TimeSpan.Zero, "Pki reload intervals cannot be negative.")
            .ValidateOnStart();
        services.AddSingleton<TrustStoreProvider>();
        services.AddHostedService(sp => sp.GetRequiredService<TrustStoreProvider>());
        services.AddSingleton(sp =>
        {
            var trust = sp.GetRequiredService<TrustStoreProvider>();
            var options = sp.GetRequiredService<IOptions<PkiOptions>>().Value;
            return new CertificateChecker(() => trust.Current,
                new CertificateCheckerOptions { StaleCrl = options.StaleCrl, Time = sp.GetRequiredService<TimeProvider>() });
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PkiOptions>>().Value;
            return new DetachedCmsVerifier(sp.GetRequiredService<CertificateChecker>(), new DetachedCmsVerifierOptions
            {
                MaxSigningTimeAge = options.SigningTimeMaxAge > TimeSpan.Zero ? options.SigningTimeMaxAge : null,
            });
        });
        services.AddHealthChecks().AddCheck<TrustStoreHealthCheck>("trust-store", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapEdsVerificationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/eds").WithTags("EDS verification").DisableAntiforgery();

        api.MapPost("/certificates/verify", VerifyCertificate)
            .WithName("VerifyCertificate")
            .WithSummary("Check an EDS certificate for sign-in (auth) or signing (sign)")
            .WithDescription(
                "Checks the certificate against Central's trust folder (chain to a configured root, validity now, CRLs, key usage for the purpose, IIN, algorithms). " +
                "Body: a DER or PEM certificate (PEM: further CERTIFICATE blocks are chain candidates; a DER certificate may be followed by PEM chain blocks), " +
                "or multipart/form-data with field 'certificate' and optional 'chain' fields. 200: checked (see 'valid'); 400: malformed input or unknown purpose; 413: body too large.")
            .Produces<EdsVerificationResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<EdsVerificationResponse>(StatusCodes.Status400BadRequest, "application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var content = CertificateContentTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = Binary() });
                content[Multipart] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "certificate" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["certificate"] = Binary("The certificate, DER or PEM (further PEM blocks are chain candidates)"),
                            ["chain"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Array,
                                Items = Binary(),
                                Description = "Optional chain candidates (issuing CAs), each DER or PEM; never trusted on their own",
                            },
                        },
                    },
                };
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The certificate to check",
                    Content = content,
                };
                return Task.CompletedTask;
            });

        api.MapPost("/cms/verify", VerifyCms)
            .WithName("VerifyCms")
            .WithSummary("Verify a detached CMS signature over a content")
            .WithDescription(
                "Verifies a detached CMS SignedData (one signer, certificate embedded, SHA-256/384/512, RSA PKCS#1 v1.5 or ECDSA) over the exact bytes of 'content', " +
                "then checks the signer certificate for signing: validity at the signing-time attribute (when not older than Pki:SigningTimeMaxAge and not in the future), revocation as of now. " +
                "content-mismatch: the signature is genuine but the content was changed; bad-signature: the signature does not verify with the embedded certificate. " +
                "200: checked (see 'valid'); 400: malformed signature or missing field; 413: body too large.")
            .Produces<EdsVerificationResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<EdsVerificationResponse>(StatusCodes.Status400BadRequest, "application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The signed content and its detached signature",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [Multipart] = new()
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string> { "content", "signature" },
                                Properties = new Dictionary<string, IOpenApiSchema>
                                {
                                    ["content"] = Binary("The exact bytes that were signed (for a request: its UTF-8 JSON document)"),
                                    ["signature"] = Binary("The detached CMS SignedData, DER (or PEM 'CMS'/'PKCS7')"),
                                },
                            },
                        },
                    },
                };
                return Task.CompletedTask;
            });
        return app;
    }

    private static OpenApiSchema Binary(string? description = null) =>
        new() { Type = JsonSchemaType.String, Format = "binary", Description = description };

    private static async Task<IResult> VerifyCertificate(
        HttpContext context,
        [FromQuery, Description("auth (sign-in: digitalSignature + clientAuth) or sign (signing: nonRepudiation + emailProtection)")] string? purpose,
        CertificateChecker checker,
        IOptions<PkiOptions> options,
        TimeProvider time)
    {
        var now = time.GetUtcNow();
        CertificatePurpose checkedFor;
        switch (purpose?.ToLowerInvariant())
        {
            case EdsVerificationResponse.Auth: checkedFor = CertificatePurpose.SignIn; break;
            case EdsVerificationResponse.Sign: checkedFor = CertificatePurpose.Signing; break;
            default:
                return BadRequest(EdsVerificationResponse.Malformed(purpose ?? "", now, "the query parameter purpose must be auth or sign"));
        }
        var label = checkedFor == CertificatePurpose.SignIn ? EdsVerificationResponse.Auth : EdsVerificationResponse.Sign;

        var request = context.Request;
        var multipart = IsMultipart(request.ContentType);
        if (!multipart && !IsRawCertificateType(request.ContentType)) return UnsupportedType(request.ContentType);
        var (body, tooLarge) = await ReadBodyAsync(request, options.Value.MaxRequestBytes);
        if (body is null) return tooLarge!;

        var certificates = new List<X509Certificate2>();
        try
        {
            string? error;
            if (multipart)
            {
                var (fields, formError) = await ReadMultipartAsync(body, request.ContentType!);
                if (fields is null) return BadRequest(EdsVerificationResponse.Malformed(label, now, formError!));
                if (!fields.TryGetValue("certificate", out var certificateField) || certificateField.Count != 1)
                    return BadRequest(EdsVerificationResponse.Malformed(label, now, "the multipart field 'certificate' is required, once"));
                error = LoadCertificates(certificateField[0], certificates);
                foreach (var part in fields.GetValueOrDefault("chain") ?? [])
                {
                    if (error is not null) break;
                    error = LoadCertificates(part, certificates);
                }
            }
            else
            {
                error = LoadCertificates(body, certificates);
            }
            if (error is not null) return BadRequest(EdsVerificationResponse.Malformed(label, now, error));

            var leaf = certificates[0];
            var result = checker.Check(leaf, checkedFor, now, certificates.Skip(1));
            var response = EdsVerificationResponse.From(result, result.Has(EdsProblemCodes.Malformed) ? null : leaf.Issuer);
            return response.IsMalformed ? BadRequest(response) : Ok(response);
        }
        finally
        {
            foreach (var c in certificates) c.Dispose();
        }
    }

    private static async Task<IResult> VerifyCms(HttpContext context, DetachedCmsVerifier verifier, IOptions<PkiOptions> options, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var request = context.Request;
        if (!IsMultipart(request.ContentType)) return UnsupportedType(request.ContentType);
        var (body, tooLarge) = await ReadBodyAsync(request, options.Value.MaxRequestBytes);
        if (body is null) return tooLarge!;
        var (fields, formError) = await ReadMultipartAsync(body, request.ContentType!);
        if (fields is null) return BadRequest(EdsVerificationResponse.Malformed(EdsVerificationResponse.Sign, now, formError!));
        foreach (var name in new[] { "content", "signature" })
        {
            if (!fields.TryGetValue(name, out var values) || values.Count != 1)
                return BadRequest(EdsVerificationResponse.Malformed(EdsVerificationResponse.Sign, now, $"the multipart field '{name}' is required, once"));
        }

        var result = verifier.Verify(fields["content"][0], fields["signature"][0], now);
        try
        {
            var response = EdsVerificationResponse.From(result);
            return response.IsMalformed ? BadRequest(response) : Ok(response);
        }
        finally
        {
            result.SignerCertificate?.Dispose();
        }
    }

    private static IResult Ok(EdsVerificationResponse response) => Results.Json(response, statusCode: StatusCodes.Status200OK);

    private static IResult BadRequest(EdsVerificationResponse response) => Results.Json(response, statusCode: StatusCodes.Status400BadRequest);

    private static IResult TooLarge(int limit) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The verification API reads at most {limit} bytes (Pki:MaxRequestBytes).");

    private static IResult UnsupportedType(string? contentType) => Results.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported content type",
        detail: $"Content type '{contentType}' is not accepted here; see /openapi/v1.json.");

    private static bool IsMultipart(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals(Multipart, StringComparison.OrdinalIgnoreCase);

    /// <summary>A raw certificate body: one of <see cref="CertificateContentTypes"/>, or no content type at all.</summary>
    private static bool IsRawCertificateType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return true;
        return MediaTypeHeaderValue.TryParse(contentType, out var media) &&
               CertificateContentTypes.Any(t => media.MediaType.Equals(t, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The whole body, or null and a 413 when it exceeds <paramref name="limit"/> (by Content-Length or as read).</summary>
    private static async Task<(byte[]? Body, IResult? Error)> ReadBodyAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength is { } length && length > limit) return (null, TooLarge(limit));
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted);
                if (read == 0) break;
                if (buffer.Length + read > limit) return (null, TooLarge(limit));
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(limit)
                : Results.Problem(statusCode: e.StatusCode, title: "The request body could not be read"));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away; there is nobody to answer.
            return (null, Results.Empty);
        }
        return (buffer.ToArray(), null);
    }

    /// <summary>Every part of a (buffered) multipart/form-data body, by field name, as raw bytes (files and plain fields alike).</summary>
    private static async Task<(Dictionary<string, List<byte[]>>? Fields, string? Error)> ReadMultipartAsync(byte[] body, string contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return (null, "the content type cannot be parsed");
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200) return (null, "the multipart content type has no usable boundary");
        var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false))
        {
            HeadersCountLimit = 16,
            HeadersLengthLimit = 8 * 1024,
            BodyLengthLimit = body.Length,
        };
        var fields = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
        try
        {
            var count = 0;
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                if (++count > MaxParts) return (null, $"more than {MaxParts} multipart parts");
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                    !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    return (null, "a multipart part has no form-data Content-Disposition");
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                using var part = new MemoryStream();
                await section.Body.CopyToAsync(part);
                if (!fields.TryGetValue(name, out var list)) fields[name] = list = [];
                list.Add(part.ToArray());
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return (null, $"the multipart body cannot be read ({e.Message})");
        }
        return (fields, null);
    }

    /// <summary>
    /// Adds the certificates in <paramref name="data"/> to <paramref name="into"/>: one DER certificate (optionally followed
    /// by PEM blocks), or PEM CERTIFICATE blocks (other PEM blocks are ignored). Null, or why the bytes are not that.
    /// </summary>
    internal static string? LoadCertificates(byte[] data, List<X509Certificate2> into)
    {
        try
        {
            if (data.Length == 0) return "empty certificate";
            ReadOnlySpan<byte> pemPart;
            if (data[0] == 0x30)
            {
                if (!AsnDecoder.TryReadEncodedValue(data, AsnEncodingRules.DER, out _, out _, out _, out var consumed))
                    return "the DER certificate is truncated or not DER";
                into.Add(X509CertificateLoader.LoadCertificate(data.AsSpan(0, consumed)));
                pemPart = data.AsSpan(consumed);
                if (pemPart.Trim(" \t\r\n"u8).IsEmpty) return null;
            }
            else
            {
                pemPart = data;
            }
            var text = Encoding.Latin1.GetString(pemPart);
            if (!text.Contains("-----BEGIN ", StringComparison.Ordinal))
                return data[0] == 0x30 ? "unexpected bytes after the DER certificate" : "neither a DER certificate nor PEM text";
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(text);
            if (collection.Count == 0) return "no CERTIFICATE block in the PEM text";
            into.AddRange(collection);
            return null;
        }
        catch (CryptographicException e)
        {
            return $"not an X.509 certificate ({e.Message})";
        }
    }
}
