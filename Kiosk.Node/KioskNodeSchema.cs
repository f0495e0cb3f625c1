using Kiosk.Storage;

namespace Kiosk.Node;

/// <summary>
/// The schema of the kiosk's SQLite file (the scripts in <c>Migrations/</c>). Both processes that open the file, the
/// kiosk node and the sync worker, prepare it with this set at start, so either may start first.
/// </summary>
public static class KioskNodeSchema
{
    public static MigrationSet Migrations { get; } = MigrationSet.FromEmbeddedResources(typeof(KioskNodeSchema).Assembly);
}
