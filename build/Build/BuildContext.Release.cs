using Pipeline.Records;
using Pipeline.Release;

namespace Pipeline;

public sealed partial class BuildContext
{
    private ReleaseEngine? _release;

    /// <summary>The release engine for this environment's target (deploy, promote, abort, rollback, drift, history).</summary>
    public ReleaseEngine Release => _release ??= new ReleaseEngine(ReleaseTargets.For(this));

    /// <summary>The environment's audit trail, where its target keeps it (single host: the state dir; Kubernetes: the cluster).</summary>
    public IAuditTrail Audit => Release.Target.Session.Audit;
}
