using Pipeline.Config;
using Pipeline.Host;
using Pipeline.Kubernetes;
using Pipeline.Tools;

namespace Pipeline.Tasks;

/// <summary>`helm test` of the environment's release: the chart's own test pods against what now serves (e2e's last step).</summary>
[TaskName(nameof(HelmTest))]
[TaskDescription("Runs the chart's helm tests against the environment's live release (Kubernetes target).")]
public sealed class HelmTest : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (context.Config.Target != TargetKind.Kubernetes)
            throw new InvalidOperationException($"{nameof(HelmTest)} needs a Kubernetes environment: '{context.EnvironmentName}' is single-host (its smoke test runs inside the release).");
        var k = KubernetesSettings.From(context.Config, context.Paths.RepoRoot, context.Paths.Artifacts);
        context.Runner.Run(ClusterCommands.HelmTest(k.Context, k.ReleaseName, k.Namespace, TimeSpan.FromMinutes(5)) with { EchoOutput = true }, timeout: TimeSpan.FromMinutes(6));
    }
}
