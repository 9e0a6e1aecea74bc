using Pipeline.Records;
using Pipeline.SingleHost;

namespace Pipeline.Release;

/// <summary>
/// Where a target keeps its release records: release.json (what is meant to serve), the audit trail (what happened,
/// which Rollback and History read) and the environment lock (one release verb at a time). They must live where
/// every run of the environment sees them: the single host's state dir is on the one machine that runs it
/// (<see cref="StateDirRecords"/>); a Kubernetes environment is released from fresh CI runners, so its records are
/// in the cluster, next to Helm's own release records (Kubernetes/State/ClusterRecords).
/// </summary>
public interface IReleaseRecords
{
    /// <summary>What the environment is meant to run; <see cref="ReleaseState.Empty"/> when nothing was ever released.</summary>
    ReleaseState LoadState();

    /// <summary>Writes the state; never silently over a write this run did not read (a store may refuse with a clear error).</summary>
    void SaveState(ReleaseState state);

    IAuditTrail Audit { get; }

    /// <summary>Takes the environment lock for one verb; fails fast naming the holder when another run has it.</summary>
    IDisposable Lock(string verb);
}
