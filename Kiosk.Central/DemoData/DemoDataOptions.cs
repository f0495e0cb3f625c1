namespace Kiosk.Central.DemoData;

/// <summary>
/// Configuration section <c>DemoData</c> (environment <c>DemoData__Enabled</c>, <c>DemoData__Seed</c>, …).
/// </summary>
public sealed class DemoDataOptions
{
    public const string Section = "DemoData";
    public const int DefaultSeed = 20261125;

    /// <summary>
    /// Whether Central fills an empty registry with synthetic people at start-up. Unset means: on in the Development
    /// environment (<c>dotnet run</c>), off elsewhere, so a real deployment never invents people by accident. The demo
    /// and the tests set it explicitly. Existing data is never touched: only an empty registry is seeded.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The seed: the same seed always gives the same registry, clinics and doctors.</summary>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>How many persons the registry gets.</summary>
    public int Persons { get; set; } = 12_000;
}
