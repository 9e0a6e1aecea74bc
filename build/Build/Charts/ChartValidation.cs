using System.Text.Json;
using Pipeline.Config;
using Pipeline.Kubernetes;
using Pipeline.Tools;

namespace Pipeline.Charts;

/// <summary>
/// Offline validation of the chart for one environment, with the values the pipeline itself would generate for a
/// release in progress (stable + canary at the first step + a migration Job, so every template renders):
/// helm lint --strict, helm template, every object against its API schema (charts/validate/validate.mjs), and the
/// rendered-output policies (ChartPolicies). What only a cluster proves is listed in docs/KUBERNETES.md.
/// </summary>
public sealed class ChartValidation(IToolRunner runner, ChartTools tools)
{
    /// <summary>Sample digests: validation needs the shape of a digest, not a pushed image.</summary>
    public static readonly KubeDesired SampleRelease = new(
        new KubeTrack("sha256:" + new string('1', 64), "1.2.0", 0),
        new KubeTrack("sha256:" + new string('2', 64), "1.3.0", 1),
        CanaryWeight: 10, MigrationTarget: 3);

    public sealed record Result(string Environment, string ValuesFile, string RenderedFile, int Objects,
        IReadOnlyList<string> SchemaErrors, IReadOnlyList<ChartPolicies.Violation> Violations)
    {
        public bool Passed => SchemaErrors.Count == 0 && Violations.Count == 0;
    }

    /// <summary>The sample release's values for <paramref name="config"/> (its replicas on the stable track).</summary>
    public static string SampleValues(EnvironmentConfig config, KubernetesSettings settings) =>
        ChartValues.Render(config, settings, SampleRelease with { Stable = SampleRelease.Stable! with { Replicas = config.Replicas } });

    public Result Validate(EnvironmentConfig config, KubernetesSettings settings, string outDir, string? values = null)
    {
        Directory.CreateDirectory(outDir);
        var valuesFile = Path.Combine(outDir, $"{config.Name}.values.yaml");
        File.WriteAllText(valuesFile, values ?? SampleValues(config, settings));
        runner.Run(Helm.LintValues(tools.Chart, settings.Namespace, valuesFile), timeout: TimeSpan.FromMinutes(2));
        var rendered = runner.Run(Helm.TemplateValues(settings.ReleaseName, tools.Chart, settings.Namespace, valuesFile), timeout: TimeSpan.FromMinutes(2)).StandardOutput;
        var renderedFile = Path.Combine(outDir, $"{config.Name}.rendered.yaml");
        if (runner.DryRun) return new Result(config.Name, valuesFile, renderedFile, 0, [], []); // nothing rendered to judge
        File.WriteAllText(renderedFile, rendered);
        var (objects, schemaErrors) = Schemas(renderedFile);
        return new Result(config.Name, valuesFile, renderedFile, objects, schemaErrors, ChartPolicies.Check(rendered));
    }

    /// <summary>validate.mjs: exit 0 valid, 1 with errors (both print the JSON report); anything else is a broken validator.</summary>
    public (int Objects, IReadOnlyList<string> Errors) Schemas(string renderedFile)
    {
        var r = runner.Run(Node.Script(tools.SchemaScript, renderedFile), allowFailure: true, timeout: TimeSpan.FromMinutes(2));
        if (runner.DryRun) return (0, []);
        if (r.ExitCode is not (0 or 1)) throw new InvalidOperationException($"validate.mjs failed (exit {r.ExitCode}): {r.StandardError}");
        using var doc = JsonDocument.Parse(r.StandardOutput.Trim().Split('\n').Last());
        return (doc.RootElement.GetProperty("objects").GetInt32(),
            doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList());
    }
}
