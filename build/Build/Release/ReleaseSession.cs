using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Release;

/// <summary>
/// What the release engine needs from a run, whatever the target: configuration, the release records (release.json,
/// the lock, the audit trail: the state dir's files unless the target keeps them elsewhere, see
/// <see cref="KeepRecordsIn"/>), the runner, the run record and the log. A target that needs more (the single-host
/// layout, its judge) extends it: <see cref="SingleHostSession"/>.
/// </summary>
public class ReleaseSession(EnvironmentConfig config, string stateDir, IToolRunner runner, RunRecord record, ICakeLog log, string actor)
{
    public EnvironmentConfig Config { get; } = config;
    public string StateDir { get; } = stateDir;
    public IToolRunner Runner { get; } = runner;
    public RunRecord Record { get; } = record;
    public ICakeLog Log { get; } = log;
    public string Actor { get; } = actor;
    public bool DryRun => Runner.DryRun;

    /// <summary>Where canary verdict files go (artifacts/gates for tasks; null: not written).</summary>
    public string? VerdictDir { get; init; }

    /// <summary>The state dir's release.json and lock file (the single host's records; unused by a cluster's).</summary>
    public string ReleaseStateFile => Path.Combine(StateDir, "release.json");
    public string LockFile => Path.Combine(StateDir, "deploy.lock");

    /// <summary>Where release.json, the audit trail and the lock live: the state dir's files by default.</summary>
    public IReleaseRecords Records { get; private set; } = new StateDirRecords(stateDir, config.Name, actor);

    /// <summary>
    /// A target whose runs do not share a disk keeps its records elsewhere (Kubernetes: in the cluster). Set by the
    /// target when it is built, before any verb reads them.
    /// </summary>
    public void KeepRecordsIn(IReleaseRecords records) => Records = records;

    public IAuditTrail Audit => Records.Audit;

    /// <summary>A single-host session already is one (same state dir, record and log): kept for callers written before.</summary>
    public static ReleaseSession From(SingleHostSession s) => s;

    public ReleaseState LoadState() => Records.LoadState();

    /// <summary>Writes release.json, except in a dry run (which changes nothing outside artifacts).</summary>
    public void Persist(ReleaseState state)
    {
        if (!DryRun) Records.SaveState(state);
    }

    /// <summary>One release verb at a time per environment; dry runs change nothing, so they take no lock.</summary>
    public IDisposable Lock(string verb) => DryRun ? EnvironmentLock.AcquireNone() : Records.Lock(verb);

    public void Event(string kind, string subject, string? detail = null)
    {
        var e = new ReleaseEvent(DateTimeOffset.UtcNow, kind, subject, detail);
        lock (Record.Events) Record.Events.Add(e);
        Log.Information("[{0:HH:mm:ss.fff}] {1} {2}{3}", e.At, kind, subject, detail is null ? "" : " (" + detail + ")");
    }

    public void Verdict(GateVerdict verdict)
    {
        lock (Record.Verdicts) Record.Verdicts.Add(verdict);
        Event("verdict", verdict.Gate, $"{verdict.Verdict}: {verdict.Summary}");
    }

    public void AuditEntry(string action, ReleaseImage image, string outcome, string note)
    {
        if (DryRun) return;
        Audit.Append(new AuditEntry(DateTimeOffset.UtcNow, action, Config.Name, Actor, image.Image,
            Config.Strategy.Kind.ToString(), outcome, [.. Record.Verdicts], Note: note, AppVersion: image.Version,
            Revision: Record.Revision));
    }
}
