using Pipeline.Image;

namespace Pipeline.Tests.SingleHost.Support;

/// <summary>
/// Two app releases as images pinned by digest, built once per test run with the image area's API
/// (ImageReleaser.BuildAndPush: AppRelease 1 → 1.1.0 and 2 → 1.2.0) into a registry of the fixture's own.
/// SINGLEHOST_IT_IMAGES="old,new" reuses images already in local storage (fast iterations).
/// </summary>
public sealed class TestImages : IDisposable
{
    public string Old { get; }
    public string New { get; }
    private readonly BuildContext? _context;
    private readonly string? _dir;

    public TestImages()
    {
        if (Environment.GetEnvironmentVariable("SINGLEHOST_IT_IMAGES") is { Length: > 0 } given)
        {
            // The drills deploy what is given here: held to the same digest rule as --image.
            var parts = given.Split(',');
            if (parts.Length != 2) throw new ArgumentException($"SINGLEHOST_IT_IMAGES: '{given}' must be old,new (two digest references)");
            (Old, New) = (Pipeline.Config.ImageReference.RequireDigest(parts[0], "SINGLEHOST_IT_IMAGES (old)"),
                Pipeline.Config.ImageReference.RequireDigest(parts[1], "SINGLEHOST_IT_IMAGES (new)"));
            return;
        }
        _dir = Directory.CreateTempSubdirectory("sh-images-").FullName;
        File.WriteAllText(Path.Combine(_dir, "it-images.yaml"), TestEnvironmentFile.Yaml("it-images"));
        using (EnvScope.Set(_dir, Path.Combine(_dir, "state")))
            _context = new BuildContext(TestCake.Create("--env=it-images"));
        Old = ImageReleaser.BuildAndPush(_context, 1);
        New = ImageReleaser.BuildAndPush(_context, 2);
    }

    public void Dispose()
    {
        if (_context is not null) LocalRegistry.Stop(_context);
        if (_dir is not null) try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

/// <summary>Points ConfigLoader and BuildPaths at a test's folders while a BuildContext is created.</summary>
public sealed class EnvScope : IDisposable
{
    private readonly string? _envs = Environment.GetEnvironmentVariable(Pipeline.Config.ConfigLoader.EnvironmentsDirVariable);
    private readonly string? _state = Environment.GetEnvironmentVariable(EnvVars.StateDir);

    public static EnvScope Set(string environmentsDir, string stateDir)
    {
        var scope = new EnvScope();
        Environment.SetEnvironmentVariable(Pipeline.Config.ConfigLoader.EnvironmentsDirVariable, environmentsDir);
        Environment.SetEnvironmentVariable(EnvVars.StateDir, stateDir);
        return scope;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Pipeline.Config.ConfigLoader.EnvironmentsDirVariable, _envs);
        Environment.SetEnvironmentVariable(EnvVars.StateDir, _state);
    }
}
