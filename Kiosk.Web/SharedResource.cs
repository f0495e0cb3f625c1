namespace Kiosk.Web;

/// <summary>
/// Marker for the kiosk's one set of translated texts: <c>Resources/SharedResource.resx</c> (Russian, the neutral
/// language), <c>SharedResource.kk.resx</c> and <c>SharedResource.en.resx</c>. Inject
/// <c>IStringLocalizer&lt;SharedResource&gt;</c>; the views get it as <c>T</c> from <c>_ViewImports</c>.
/// </summary>
public sealed class SharedResource;
