using Pipeline.Records;
using Pipeline.SingleHost;

namespace Pipeline.Release;

/// <summary>
/// The records as files in the environment's state dir (outside the repository): release.json, audit.jsonl and
/// deploy.lock (flock, held by the OS for the holder's life). Right for the single host, where every run happens
/// on the machine that holds the environment.
/// </summary>
public sealed class StateDirRecords(string stateDir, string environment, string actor) : IReleaseRecords
{
    public string ReleaseStateFile => Path.Combine(stateDir, "release.json");
    public string LockFile => Path.Combine(stateDir, "deploy.lock");
    public IAuditTrail Audit => new AuditTrail(Path.Combine(stateDir, AuditTrail.FileName));

    public ReleaseState LoadState() => ReleaseState.Load(ReleaseStateFile);
    public void SaveState(ReleaseState state) => state.Save(ReleaseStateFile);
    public IDisposable Lock(string verb) => EnvironmentLock.Acquire(LockFile, environment, actor, verb);
}
