using Kiosk.Core.Eds;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.SignIn;

/// <summary>
/// The kiosk's trust list: the <see cref="TrustFolder"/> of <see cref="PkiOptions.TrustDirectory"/>, read at start and
/// again whenever the folder changes, so a new CRL takes effect without a restart; and the checker over it, with the
/// configured stale-CRL policy and the node's clock. Each load is logged with its counts and warnings (file names and
/// CA names only: the trust store names an end-entity certificate by its hash).
/// </summary>
public sealed class KioskTrust : IDisposable
{
    private readonly PkiOptions _options;
    private readonly ILogger<KioskTrust> _logger;
    private readonly TimeProvider _time;
    private readonly TrustFolder _folder;

    public KioskTrust(IOptions<PkiOptions> options, ILogger<KioskTrust> logger, TimeProvider time)
    {
        _options = options.Value;
        _logger = logger;
        _time = time;
        var directory = string.IsNullOrWhiteSpace(_options.TrustDirectory) ? null : Path.GetFullPath(_options.TrustDirectory);
        if (directory is null)
            _logger.LogWarning("Pki:TrustDirectory is not set: EDS certificates cannot be checked and nobody can sign in");
        _folder = new TrustFolder(directory, time, _options.ReloadDebounce, _options.RecheckInterval, Log);
        Checker = new CertificateChecker(() => _folder.Current, new CertificateCheckerOptions { StaleCrl = _options.StaleCrl, Time = time });
    }

    /// <summary>The configured folder (full path), or null when <c>Pki:TrustDirectory</c> is not set.</summary>
    public string? Directory => _folder.Directory;

    /// <summary>The trust snapshot in force.</summary>
    public TrustStore Current => _folder.Current;

    /// <summary>The checker over <see cref="Current"/>, with the configured stale-CRL policy and the node's clock.</summary>
    public CertificateChecker Checker { get; }

    /// <summary>True when there is at least one trust anchor, so a certificate can be checked at all.</summary>
    public bool CanCheck => Current.Anchors.Count > 0;

    /// <summary>How many times the folder was read (tests wait for it to move).</summary>
    public int Generation => _folder.Generation;

    /// <summary>Reads the folder now and swaps the snapshot in.</summary>
    public void Reload() => _folder.Reload();

    private void Log(TrustFolderEvent e)
    {
        switch (e.Kind)
        {
            case TrustFolderEventKind.Loaded when e.Store is { } store:
                var stale = store.Crls.Count(c => c.IsUsable && c.IsStaleAt(_time.GetUtcNow()));
                if (store.Anchors.Count == 0)
                    _logger.LogWarning(
                        "Trust folder {TrustDirectory} gives no trust anchor: EDS certificates cannot be checked and nobody can sign in " +
                        "({Intermediates} intermediate CAs, {Crls} CRLs, {Warnings} warnings)",
                        e.Directory, store.Intermediates.Count, store.Crls.Count, store.Warnings.Count);
                else
                    _logger.LogInformation(
                        "Trust list loaded from {TrustDirectory} ({Reason}): {Anchors} anchors, {Intermediates} intermediate CAs, {Crls} CRLs " +
                        "({StaleCrls} past next update, policy {StaleCrlPolicy}), {Warnings} warnings",
                        e.Directory, e.Reason, store.Anchors.Count, store.Intermediates.Count, store.Crls.Count, stale, _options.StaleCrl,
                        store.Warnings.Count);
                foreach (var warning in store.Warnings) _logger.LogWarning("Trust folder: {TrustWarning}", warning);
                break;
            case TrustFolderEventKind.ReadFailed:
                _logger.LogWarning("Trust folder {TrustDirectory} could not be read ({Error}); keeping the previous trust list", e.Directory, e.Error);
                break;
            default:
                _logger.LogWarning("Trust folder {TrustDirectory} cannot be watched ({Error}); changes are picked up on use instead", e.Directory, e.Error);
                break;
        }
    }

    public void Dispose() => _folder.Dispose();
}
