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
    public static readonly string[] Environments = ["dev", "staging", "prod"];

    public override void Run(BuildContext context)
    {
        var tools = new ChartTools(context.Paths.RepoRoot);
        tools.Ensure(context.Runner, context.Paths.ToolsDir, context.Log);
        var validation = new ChartValidation(context.Runner, tools);
        var failures = new List<string>();
        foreach (var env in Environments)
        {
            var config = ConfigLoader.Load(context.Paths.Environments, env, honourOverride: false);
            var settings = KubernetesSettings.From(config, context.Paths.RepoRoot, context.Paths.Artifacts);
            var r = validation.Validate(config, settings, Path.Combine(context.Paths.Artifacts, "chart"));
            context.Log.Information("chart {0}: {1} objects, {2} schema errors, {3} policy violations ({4})",
                env, r.Objects, r.SchemaErrors.Count, r.Violations.Count, r.RenderedFile);
            failures.AddRange(r.SchemaErrors.Select(e => $"{env}: schema: {e}"));
            failures.AddRange(r.Violations.Select(v => $"{env}: policy {v}"));
        }
        if (failures.Count > 0)
            throw new InvalidOperationException("Chart validation failed:\n  " + string.Join("\n  ", failures));
    }
}
