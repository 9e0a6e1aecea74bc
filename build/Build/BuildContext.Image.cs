using Pipeline.Image;

namespace Pipeline;

public sealed partial class BuildContext
{
    /// <summary>The app image built in this run (set by ImageBuild; scanned by ImageScan; pushed by Push).</summary>
    public BuiltImage? AppImage { get; set; }

    /// <summary>The app release to build (1, 2 or 3; --app-release=N), 3 by default as in the app's project.</summary>
    public int AppRelease => Argument(Args.AppRelease) is { } s
        ? int.TryParse(s, out var n) && n is >= 1 and <= 3 ? n : throw new ArgumentException($"--{Args.AppRelease}: '{s}' must be 1, 2 or 3")
        : 3;
}
