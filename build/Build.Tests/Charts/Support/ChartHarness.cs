using Pipeline.Charts;
using Pipeline.Config;
using Pipeline.Host;
using Pipeline.Kubernetes;
using Pipeline.Tools;

namespace Pipeline.Tests.Charts.Support;

/// <summary>
/// The real chart, the real pinned helm and the real node validators, installed once per test process by the same
/// code as the ChartValidate task (so `dotnet test` alone works on a fresh machine too). Renders go to a private
/// temp folder; nothing here touches a cluster.
/// </summary>
public static class ChartHarness
{
    public static readonly string RepoRoot = BuildPaths.Discover("local").RepoRoot;
    public static readonly ChartTools Tools = new(RepoRoot);
    private static readonly string ToolsDir = Path.Combine(RepoRoot, ".tools", "bin");
    private static readonly Lazy<ToolRunner> LazyRunner = new(() =>
    {
        var runner = new ToolRunner(CakeContextFactory.Create(), dryRun: false, [ToolsDir]);
        Tools.Ensure(runner, ToolsDir, CakeContextFactory.Create().Log);
        return runner;
    });

    public static ToolRunner Runner => LazyRunner.Value;
    public static readonly string OutDir = Directory.CreateTempSubdirectory("chart-tests-").FullName;

    public static EnvironmentConfig Config(string env) => ConfigLoader.Load(Path.Combine(RepoRoot, "build", "environments"), env, honourOverride: false);

    public static KubernetesSettings Settings(EnvironmentConfig c) => KubernetesSettings.From(c, RepoRoot, OutDir);

    /// <summary>helm template with these values: exit code, manifest, error text.</summary>
    public static (int ExitCode, string Manifest, string Error) Template(string values, string? @namespace = null, string release = "orders")
    {
        var file = Path.Combine(OutDir, Guid.NewGuid().ToString("N") + ".values.yaml");
        File.WriteAllText(file, values);
        var r = Runner.Run(Helm.TemplateValues(release, Tools.Chart, @namespace ?? "orders-dev", file), allowFailure: true, timeout: TimeSpan.FromMinutes(1));
        return (r.ExitCode, r.StandardOutput, r.StandardError);
    }

    /// <summary>The sample release's values for an environment (what ChartValidate renders).</summary>
    public static string SampleValues(string env)
    {
        var c = Config(env);
        return ChartValidation.SampleValues(c, Settings(c));
    }

    public static string RenderOk(string values, string @namespace = "orders-dev")
    {
        var (exit, manifest, error) = Template(values, @namespace);
        Assert.True(exit == 0, $"helm template failed: {error}");
        return manifest;
    }
}
