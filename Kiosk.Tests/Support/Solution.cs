namespace Kiosk.Tests.Support;

/// <summary>Where the solution and its built apps are, seen from the running test assembly.</summary>
public static class Solution
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whichever this test assembly was built as, so apps come from the same build.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    /// <summary>The built entry assembly of one of the solution's apps, e.g. <c>AppDll("Kiosk.Sync")</c>.</summary>
    public static string AppDll(string project) =>
        Path.Combine(Root, project, "bin", Configuration, "net10.0", project + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kiosk.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Kiosk.slnx not found above " + AppContext.BaseDirectory);
    }
}
