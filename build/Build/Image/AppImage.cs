using Cake.Core.Diagnostics;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Image;

/// <summary>The app image: the published app (Native AOT) layered on the base by app/Containerfile.</summary>
public static class AppImage
{
    public const string LocalRepository = "localhost/orders-api";
    public const string Runtime = "linux-x64";

    /// <summary>The version each release builds as (mirrors AppVersion in app/Orders.Api/Orders.Api.csproj).</summary>
    public static string VersionOf(int appRelease) => $"1.{appRelease}.0";

    public static string Containerfile(BuildPaths p) => Path.Combine(p.RepoRoot, "app", "Containerfile");
    public static string PublishDir(BuildPaths p, int appRelease) => Path.Combine(p.Artifacts, "publish", appRelease.ToString());

    /// <summary>
    /// Native AOT (the trimmed default): no JIT at all. A JIT-compiled (ReadyToRun) instance spent about 1 CPU-second
    /// starting (runtime, JIT of what ReadyToRun left out, first requests); on 2 shared cores that second came out of
    /// the instances serving users, and each start of a release showed as a 100-300 ms p99 stall on all of them
    /// (release drill). Native AOT: 0.13 CPU-seconds and ready in ~0.25 s instead of ~0.9 s (docs/BENCHMARKS.md).
    /// <c>image.trimmed: false</c> publishes the untrimmed JIT build (ReadyToRun) for debugging.
    /// </summary>
    public static ToolCommand Publish(BuildPaths paths, int appRelease, bool trimmed) =>
        // trimmed: false — PublishAot trims by itself; the JIT build is the untrimmed one.
        DotNetCommands.Publish(paths.AppProject, PublishDir(paths, appRelease), Runtime, selfContained: true, trimmed: false,
            new Dictionary<string, string>
            {
                ["AppRelease"] = appRelease.ToString(),
                ["PublishAot"] = trimmed ? "true" : "false",
                ["PublishReadyToRun"] = trimmed ? "false" : "true",
                // Paths in PDBs and assemblies become /_/…: the same commit publishes the same bytes from any checkout dir.
                ["ContinuousIntegrationBuild"] = "true",
            });

    /// <summary>
    /// Files a publish leaves that the image must not carry: the native binary's debug symbols (36 MB, kept beside
    /// the publish folder in artifacts/symbols/N for a post-mortem) and, for the JIT build, the runtime's
    /// debugger/dump-only libraries (6 MB unpacked). The cost: no createdump/dotnet-dump inside the container.
    /// </summary>
    public static readonly IReadOnlyList<string> DebugOnlyFiles =
        ["Orders.Api.dbg", "createdump", "libmscordaccore.so", "libmscordbi.so", "libclrgc.so", "libclrgcexp.so"];

    public static string SymbolsDir(BuildPaths p, int appRelease) => Path.Combine(p.Artifacts, "symbols", appRelease.ToString());

    public static void RemoveDebugOnlyFiles(string publishDir, string? symbolsDir = null)
    {
        foreach (var f in DebugOnlyFiles)
        {
            var path = Path.Combine(publishDir, f);
            if (symbolsDir is not null && f.EndsWith(".dbg", StringComparison.Ordinal) && File.Exists(path))
            {
                Directory.CreateDirectory(symbolsDir);
                File.Move(path, Path.Combine(symbolsDir, f), overwrite: true);
            }
            File.Delete(path);
        }
    }

    /// <summary>
    /// A native binary carries no *.deps.json, and the SBOM reads the image's NuGet packages from one. The build's own
    /// (bin/Release/&lt;tfm&gt;/linux-x64/Orders.Api.deps.json: the runtime packs and packages compiled in) goes into
    /// the image beside the binary, as the record of what it was built from.
    /// </summary>
    public static void AddDependencyManifest(BuildPaths paths, string publishDir)
    {
        const string name = "Orders.Api.deps.json";
        if (File.Exists(Path.Combine(publishDir, name))) return;
        var bin = Path.Combine(Path.GetDirectoryName(paths.AppProject)!, "bin", "Release");
        var built = Directory.Exists(bin)
            ? Directory.GetFiles(bin, name, SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == Runtime)
                .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        File.Copy(built ?? throw new FileNotFoundException($"No {name} under {bin}/*/{Runtime}: the image's SBOM would list no NuGet packages."),
            Path.Combine(publishDir, name));
    }

    public static IReadOnlyDictionary<string, string> BuildArgs(string baseImage, string version, string revision, string source, SchemaContract contract) =>
        new Dictionary<string, string>
        {
            ["BASE_IMAGE"] = baseImage,
            ["APP_VERSION"] = version,
            ["REVISION"] = revision,
            ["SOURCE"] = source,
            ["SCHEMA_MIN"] = contract.SchemaMin.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SCHEMA_MAX"] = contract.SchemaMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>
    /// The published binary's own `schema-contract` (a native binary: it runs on the build host in ~30 ms, no
    /// database). It becomes two image labels, so a release reads which schemas an image serves with a
    /// `podman image inspect` instead of a one-off container — whose start and exit (~1.1 CPU-s) stalled every
    /// request on the 2-core host at the start of each drill release (12-07).
    /// </summary>
    public static SchemaContract ReadContract(BuildContext context, string publishDir)
    {
        if (context.DryRun) return new SchemaContract("dry-run", 0, 0);
        var output = context.Runner.Run(new ToolCommand(Path.Combine(publishDir, "Orders.Api"), "schema-contract")).StandardOutput;
        return SchemaContractLabels.ParseCommandOutput(output);
    }

    public static string LocalTag(string revision, int appRelease) =>
        $"{LocalRepository}:{(revision.Length >= 12 ? revision[..12] : revision)}-r{appRelease}";

    public static BuiltImage Build(BuildContext context, string baseImage, int appRelease)
    {
        var paths = context.Paths;
        if (!File.Exists(Containerfile(paths))) throw new FileNotFoundException($"Missing {Containerfile(paths)}");
        var publishDir = PublishDir(paths, appRelease);
        // A stale file from an earlier publish (e.g. untrimmed) would end up in the image.
        if (Directory.Exists(publishDir) && !context.DryRun) Directory.Delete(publishDir, recursive: true);
        context.Runner.Run(Publish(paths, appRelease, context.Config.Image.Trimmed));
        if (!context.DryRun)
        {
            RemoveDebugOnlyFiles(publishDir, SymbolsDir(paths, appRelease));
            AddDependencyManifest(paths, publishDir);
        }

        var revision = SourceRevision.Read(context);
        var version = VersionOf(appRelease);
        var tag = LocalTag(revision, appRelease);
        context.Runner.Run(Podman.Build(Containerfile(paths), publishDir, tag,
            BuildArgs(baseImage, version, revision, SourceRevision.SourceUrl(paths), ReadContract(context, publishDir))));
        var digest = context.DryRun ? "sha256:dry-run" : context.Runner.Run(Podman.ImageDigest(tag)).StandardOutput.Trim();
        context.Log.Information("App image {0} ({1}) version {2} from {3}", tag, digest, version, revision);
        return new BuiltImage(appRelease, version, revision, tag, digest, baseImage, publishDir);
    }
}
