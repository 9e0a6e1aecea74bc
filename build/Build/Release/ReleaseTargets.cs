using Pipeline.Config;
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
        TargetKind.Kubernetes => ForKubernetes(
            new ReleaseSession(context.Config, context.Paths.StateDir, context.Runner, context.Record, context.Log, context.Actor)
            { VerdictDir = Path.Combine(context.Paths.Artifacts, "gates") },
            KubernetesSettings.From(context.Config, context.Paths.RepoRoot, context.Paths.Artifacts)),
        var t => throw new ArgumentOutOfRangeException(nameof(context), t, "unknown target"),
    };

    public static IReleaseTarget ForSingleHost(SingleHostSession session) => new SingleHostTarget(session);

    /// <summary>
    /// Kubernetes: one Helm release, the Gateway API router, the cluster's Prometheus. Drift sources beyond the
    /// release itself are added here (the iac helper: terraform plan -refresh-only of the environment's modules).
    /// </summary>
    public static IReleaseTarget ForKubernetes(ReleaseSession session, KubernetesSettings settings, Func<TimeSpan, CancellationToken, Task>? delay = null) =>
        new KubernetesTarget(session, settings, d => ChartValues.Render(session.Config, settings, d), driftSources: [], delay: delay);
}
