using System.Net.Http.Headers;
using System.Text.Json;
using Kiosk.Central;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Kiosk.Tests.Central.Eds;

/// <summary>The verification API's JSON answer, as a client reads it.</summary>
public sealed record VerifyMessage(string Code, string Kk, string Ru, string En, string? Detail);

public sealed record VerifySubject(string? Iin, string? Bin, string? Surname, string? FirstName, string? Patronymic, string? CommonName, string? Organisation);

public sealed record VerifyCertificateInfo(string Thumbprint, string? SerialNumber, string? Issuer, DateTimeOffset? NotBefore, DateTimeOffset? NotAfter);

public sealed record VerifyAnswer(
    bool Valid, string Purpose, VerifySubject Subject, List<string> Problems, List<string> Warnings, List<VerifyMessage> Messages,
    DateTimeOffset TimeOfUse, VerifyCertificateInfo? Certificate, DateTimeOffset? SigningTime, string? TimeOfUseBasis, string? DigestAlgorithm);

/// <summary>Starts real Central instances on loopback Kestrel for the EDS API tests, with a given trust folder.</summary>
public static class EdsCentral
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<WebApplication> StartAsync(string contentRoot, string? trustDirectory, ILoggerProvider? logs = null, params string[] extra)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--contentRoot", contentRoot,
            "--environment", "Production",
            $"--Storage:DatabasePath={Path.Combine(contentRoot, "central.db")}",
            "--DemoData:Enabled=false",
            .. trustDirectory is null ? Array.Empty<string>() : [$"--Pki:TrustDirectory={trustDirectory}"],
            .. extra,
        ];
        var app = CentralApp.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            if (logs is not null) builder.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        return app;
    }

    public static HttpClient Client(WebApplication app) =>
        new() { BaseAddress = CentralServerFixture.AddressOf(app), Timeout = TimeSpan.FromSeconds(60) };

    public static ByteArrayContent Raw(byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    public static MultipartFormDataContent Form(params (string Name, byte[] Data)[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, data) in parts)
        {
            var part = new ByteArrayContent(data);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, name, name + ".bin");
        }
        return form;
    }

    public static async Task<(HttpResponseMessage Response, VerifyAnswer? Answer, string Body)> PostAsync(HttpClient http, string path, HttpContent content)
    {
        var response = await http.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        VerifyAnswer? answer = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
            answer = JsonSerializer.Deserialize<VerifyAnswer>(body, Json);
        return (response, answer, body);
    }
}

/// <summary>
/// One Central for the API tests of a class, started on first use with the shared demo CA's trust folder (the demo
/// CA is a collection fixture, which a class fixture cannot take in its constructor).
/// </summary>
public sealed class EdsCentralServer : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("kiosk-central-eds");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;
    private HttpClient? _http;

    public CollectingLoggerProvider Logs { get; } = new();

    public async Task<HttpClient> ClientAsync(DemoCaFixture ca)
    {
        await _gate.WaitAsync();
        try
        {
            if (_http is null)
            {
                _app = await EdsCentral.StartAsync(_dir.Path, ca.Ca.TrustDirectory, Logs);
                _http = EdsCentral.Client(_app);
            }
            return _http;
        }
        finally
        {
            _gate.Release();
        }
    }

    public string NewTempDirectory(string name) => Directory.CreateDirectory(_dir.File(name + "-" + Guid.NewGuid().ToString("N")[..6])).FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _dir.Dispose();
    }
}
