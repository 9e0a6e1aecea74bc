using Cake.Core.Diagnostics;
using Pipeline.Charts;
using Pipeline.Config;
using Pipeline.Host;
using Pipeline.Kubernetes;

namespace Pipeline.Tasks;

// Before the unit tests: it installs what the chart tests need on a fresh machine (pinned helm, `npm ci` of the
// pinned validators) and fails fast when the chart does not render for an environment.
[TaskName(nameof(ChartValidate))]
[TaskDescription("Offline chart validation for dev/staging/prod: helm lint, helm template, API schemas, rendered-output policies.")]
public sealed class ChartValidate : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var tools = new ChartTools(context.Paths.RepoRoot);
        tools.Ensure(context.Runner, context.Paths.ToolsDir, context.Log);
        var validation = new ChartValidation(context.Runner, tools);
        var failures = new List<string>();
        var environments = KubernetesEnvironments(context);
        if (environments.Count == 0) context.Log.Information("No Kubernetes environment: no chart values to validate.");
        foreach (var config in environments)
        {
            var env = config.Name;
            var settings = KubernetesSettings.From(config, context.Paths.RepoRoot, context.Paths.Artifacts);
            var r = validation.Validate(config, settings, Path.Combine(context.Paths.Artifacts, "chart"));
            if (context.DryRun) continue; // nothing was rendered to report on
            context.Log.Information("chart {0}: {1} objects, {2} schema errors, {3} policy violations ({4})",
                env, r.Objects, r.SchemaErrors.Count, r.Violations.Count, r.RenderedFile);
            failures.AddRange(r.SchemaErrors.Select(e => $"{env}: schema: {e}"));
            failures.AddRange(r.Violations.Select(v => $"{env}: policy {v}"));
        }
        if (failures.Count > 0 && !context.DryRun)
            throw new InvalidOperationException("Chart validation failed:\n  " + string.Join("\n  ", failures));
    }

    /// <summary>Every environment file whose target is kubernetes (dev, staging, prod today; a new one is validated without a code change).</summary>
    private static List<EnvironmentConfig> KubernetesEnvironments(BuildContext context)
    {
        var dir = System.Environment.GetEnvironmentVariable(ConfigLoader.EnvironmentsDirVariable) is { Length: > 0 } d ? d : context.Paths.Environments;
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)
                .Select(name => ConfigLoader.Load(dir, name, honourOverride: false)).Where(c => c.Target == TargetKind.Kubernetes).ToList()
            : [];
    }
}
