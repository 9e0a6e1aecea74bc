namespace Pipeline.Image;

/// <summary>One pinned Debian package of the runtime base: exact version and the SHA-256 of its .deb.</summary>
public sealed record BasePackage(string Name, string Version, string Sha256)
{
    /// <summary>apt's spelling of "this exact version".</summary>
    public string AptSpec => $"{Name}={Version}";
}

/// <summary>Reads build/Build/Image/base-packages.txt ("name version sha256" per line, # comments).</summary>
public static class BasePackages
{
    public const string FileName = "base-packages.txt";

    public static string ManifestPath(BuildPaths paths) => Path.Combine(paths.RepoRoot, "build", "Build", "Image", FileName);

    public static IReadOnlyList<BasePackage> Load(string file) => Parse(File.ReadAllText(file), file);

    public static IReadOnlyList<BasePackage> Parse(string text, string source)
    {
        var list = new List<BasePackage>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[2].Length != 64 || !parts[2].All(Uri.IsHexDigit))
                throw new FormatException($"{source}:{lineNo}: expected 'name version sha256' (64 hex digits), got '{line}'");
            list.Add(new BasePackage(parts[0], parts[1], parts[2].ToLowerInvariant()));
        }
        if (list.Count == 0) throw new FormatException($"{source}: no packages listed");
        if (list.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } dup)
            throw new FormatException($"{source}: package '{dup.Key}' listed twice");
        return list;
    }
}
