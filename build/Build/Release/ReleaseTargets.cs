using Pipeline.Config;
using Pipeline.Infrastructure;
using Pipeline.Kubernetes;
using Pipeline.SingleHost;

namespace Pipeline.Release;

/// <summary>
/// The one place the target's implementations are picked from the environment's <c>target:</c>. Nothing else in
/// the pipeline branches on the target for a release verb.
/// </summary>
public static class ReleaseTargets
{
    public static IReleaseTarget For(BuildContext context) => context.Config.Target switch
    {
        TargetKind.SingleHost => ForSingleHost(context.SingleHost),
        TargetKind.Kubernetes => Kubernetes(context),
        var t => throw new ArgumentOutOfRangeException(nameof(context), t, "unknown target"),
    };

    private static IReleaseTarget Kubernetes(BuildContext context)
    {
        var session = new ReleaseSession(context.Config, context.Paths.StateDir, context.Runner, context.Record, context.Log, context.Actor)
            { VerdictDir = Path.Combine(context.Paths.Artifacts, "gates") };
        var settings = KubernetesSettings.From(context.Config, context.Paths.RepoRoot, context.Paths.Artifacts);
        var tf = TerraformEnvironment.For(context.Paths.RepoRoot, context.Paths.Artifacts, context.EnvironmentName);
        KubernetesTarget? target = null;
        // Terraform declares what release.json declares (the digest the pipeline owns): docs/TERRAFORM.md.
        var terraform = new TerraformDrift(tf, session, settings, () => target!.Release.Desired, Values(context.Config, settings));
        return target = (KubernetesTarget)ForKubernetes(session, settings, driftSources: [terraform]);
    }

    /// <summary>The chart values for a desired state (ChartValues: the environment's configuration + the engine's tracks).</summary>
    public static ValuesRenderer Values(EnvironmentConfig config, KubernetesSettings settings) => d => ChartValues.Render(config, settings, d);

    public static IReleaseTarget ForSingleHost(SingleHostSession session) => new SingleHostTarget(session);

    /// <summary>
    /// Kubernetes: one Helm release, the Gateway API router, the cluster's Prometheus. Drift sources beyond the
    /// release itself are added here (the iac helper: terraform plan -refresh-only of the environment's modules).
    /// </summary>
    public static IReleaseTarget ForKubernetes(ReleaseSession session, KubernetesSettings settings, Func<TimeSpan, CancellationToken, Task>? delay = null,
        IReadOnlyList<IDriftSource>? driftSources = null, TimeProvider? clock = null) =>
        new KubernetesTarget(session, settings, Values(session.Config, settings), driftSources: driftSources ?? [], delay: delay, clock: clock);
}
