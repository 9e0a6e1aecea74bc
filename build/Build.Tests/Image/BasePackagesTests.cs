using Pipeline.Image;

namespace Pipeline.Tests.Image;

public class BasePackagesTests
{
    private static readonly string Sha = new('c', 64);

    [Fact]
    public void Parses_name_version_sha_and_skips_comments()
    {
        var list = BasePackages.Parse($"# pins\n\nlibc6 2.36-9 {Sha}\nzlib1g 1:1.2.13 {Sha.ToUpperInvariant()}\n", "f");
        Assert.Equal([new BasePackage("libc6", "2.36-9", Sha), new BasePackage("zlib1g", "1:1.2.13", Sha)], list);
    }

    [Theory]
    [InlineData("libc6 2.36-9")]
    [InlineData("libc6 2.36-9 abc")]
    [InlineData("libc6 2.36-9 zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void Rejects_a_line_without_a_full_sha256(string line)
    {
        var e = Assert.Throws<FormatException>(() => BasePackages.Parse(line, "pins.txt"));
        Assert.Contains("pins.txt:1", e.Message);
    }

    [Fact]
    public void Rejects_duplicates_and_empty_manifests()
    {
        Assert.Throws<FormatException>(() => BasePackages.Parse($"a 1 {Sha}\na 2 {Sha}", "f"));
        Assert.Throws<FormatException>(() => BasePackages.Parse("# nothing", "f"));
    }

    [Fact]
    public void The_committed_manifest_pins_what_the_app_needs_and_no_icu()
    {
        var paths = BuildPaths.Discover("local");
        var names = BasePackages.Load(BasePackages.ManifestPath(paths)).Select(p => p.Name).ToHashSet();
        foreach (var required in new[] { "libc6", "libstdc++6", "libgcc-s1", "libssl3", "zlib1g", "ca-certificates", "tzdata", "base-files", "netbase" })
            Assert.Contains(required, names);
        // The app runs with InvariantGlobalization: 30 MB of ICU data would be dead weight.
        Assert.DoesNotContain(names, n => n.StartsWith("libicu", StringComparison.Ordinal));
    }
}
