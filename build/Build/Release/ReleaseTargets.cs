using Pipeline.Config;
using Pipeline.SingleHost;
using Pipeline.Tasks;

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
        TargetKind.Kubernetes => throw new NotAvailableException("The release engine", context.EnvironmentName, "the Kubernetes seams are not built yet."),
        var t => throw new ArgumentOutOfRangeException(nameof(context), t, "unknown target"),
    };

    public static IReleaseTarget ForSingleHost(SingleHostSession session) => new SingleHostTarget(session);
}
