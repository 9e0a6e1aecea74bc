using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;

namespace Pipeline.Kubernetes.State;

/// <summary>
/// A Kubernetes environment's release records, in the release's namespace: release.json in a ConfigMap, the audit
/// trail as one ConfigMap per entry, the lock as a Lease. Every workflow runs on a fresh GitHub runner, so records
/// on the runner's disk would show a Rollback, a Promote or the scheduled DriftCheck no release, no previous
/// release and no lock; Helm keeps its own release records in the cluster for the same reason. Every call is a
/// kubectl argv through the one runner (printed by --dryrun, in the run record).
/// </summary>
public sealed class ClusterRecords : IReleaseRecords
{
    private readonly ReleaseStateConfigMap _state;
    private readonly ReleaseLease _lease;
    private HeldLease? _held;

    public ClusterRecords(KubeCluster cluster, LeaseTiming? timing = null, TimeProvider? clock = null)
    {
        var names = new RecordNames(cluster.Settings.ReleaseName);
        _state = new ReleaseStateConfigMap(cluster, names);
        Audit = new ClusterAuditTrail(cluster, names);
        _lease = new ReleaseLease(cluster, names, LeaseHolderIdentity.For(cluster.Session.Actor), timing ?? LeaseTiming.Default, clock);
    }

    public IAuditTrail Audit { get; }
    public ReleaseLease Lease => _lease;

    public ReleaseState LoadState() => _state.Load();
    public void SaveState(ReleaseState state) => _state.Save(state);

    /// <summary>
    /// The lease for one verb; while this run already holds it (a whole Release holds it from its first mutating task
    /// to its end, see BuildContext), a verb inside it nests instead of leaving a gap another run could take.
    /// </summary>
    public IDisposable Lock(string verb)
    {
        if (_held is { } held && !held.Lost && !held.IsReleased) return Nested.Instance;
        return _held = _lease.Acquire(verb);
    }

    private sealed class Nested : IDisposable
    {
        public static readonly Nested Instance = new();
        public void Dispose() { }
    }
}
