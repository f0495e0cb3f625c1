using System.Net;
using System.Text.RegularExpressions;
using Kiosk.Tests.Support;
using Kiosk.Web;
using Microsoft.AspNetCore.Builder;

namespace Kiosk.Tests.Web;

/// <summary>The real kiosk app (<see cref="KioskApp.Build"/>) on Kestrel, on a free loopback port, in this process.</summary>
public sealed class KioskAppHost : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly WebApplication _app;

    private KioskAppHost(TempDirectory dir, WebApplication app, string baseUrl)
    {
        _dir = dir;
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string DatabasePath => _dir.File("kiosk.db");

    public IServiceProvider Services => _app.Services;

    public static Task<KioskAppHost> StartAsync(params string[] args) => StartAsync(null, args);

    /// <param name="configure">Adjusts the builder before it is built (a fake <see cref="TimeProvider"/>, for example).</param>
    public static async Task<KioskAppHost> StartAsync(Action<WebApplicationBuilder>? configure, params string[] args)
    {
        var dir = new TempDirectory("kiosk-web");
        var app = KioskApp.Build([
            "--urls", "http://127.0.0.1:0",
            $"--Storage:DatabasePath={dir.File("kiosk.db")}",
            "--Logging:LogLevel:Default=Warning",
            .. args,
        ], configure);
        await app.StartAsync();
        return new KioskAppHost(dir, app, app.Urls.Single().TrimEnd('/'));
    }

    /// <summary>A browser-like client with its own cookies that does not follow redirects.</summary>
    public KioskClient NewClient() => new(BaseUrl);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}

public sealed partial class KioskClient : IDisposable
{
    private readonly HttpClient _http;

    public KioskClient(string baseUrl)
    {
        Cookies = new CookieContainer();
        BaseAddress = new Uri(baseUrl + "/");
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
        };
    }

    public Uri BaseAddress { get; }

    public CookieContainer Cookies { get; }

    /// <summary>The antiforgery token of the last page fetched.</summary>
    public string? Token { get; private set; }

    /// <summary>The sign-in nonce of the last sign-in form fetched (its hidden "Nonce" field).</summary>
    public string? Nonce { get; private set; }

    public string? Cookie(string name) => Cookies.GetCookies(BaseAddress)[name]?.Value;

    public async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Remember(html);
        return (response, html);
    }

    public async Task<(HttpResponseMessage Response, string Html)> PostAsync(
        string path, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true,
        (string Name, string FileName, byte[] Bytes)? file = null)
    {
        var all = fields.ToList();
        if (withToken && Token is not null) all.Add(new("__RequestVerificationToken", Token));
        HttpContent content;
        if (file is { } f)
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (k, v) in all) multipart.Add(new StringContent(v), k);
            multipart.Add(new ByteArrayContent(f.Bytes), f.Name, f.FileName);
            content = multipart;
        }
        else
        {
            content = new FormUrlEncodedContent(all);
        }
        var response = await _http.PostAsync(path, content);
        var html = await response.Content.ReadAsStringAsync();
        Remember(html);
        return (response, html);
    }

    public void Dispose() => _http.Dispose();

    private void Remember(string html)
    {
        var token = TokenField().Match(html);
        if (token.Success) Token = token.Groups[1].Value;
        var nonce = NonceField().Match(html);
        if (nonce.Success) Nonce = System.Net.WebUtility.HtmlDecode(nonce.Groups[1].Value);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"Nonce\" value=\"([^\"]*)\"")]
    private static partial Regex NonceField();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
