using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Records;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>
/// Everything single-host code needs from a run, without the Cake host: tasks build it from the
/// BuildContext, integration tests from their own temp environment.
/// </summary>
public sealed class SingleHostSession(EnvironmentConfig config, string stateDir, IToolRunner runner, RunRecord record, ICakeLog log, string actor)
{
    public EnvironmentConfig Config { get; } = config;
    public SingleHostLayout Layout { get; } = new(config, stateDir);
    public IToolRunner Runner { get; } = runner;
    public RunRecord Record { get; } = record;
    public ICakeLog Log { get; } = log;
    public string Actor { get; } = actor;
    public bool DryRun => Runner.DryRun;
    public AuditTrail Audit => new(Path.Combine(Layout.StateDir, AuditTrail.FileName));

    /// <summary>The judge of canary steps; the gate helper's implementation replaces the built-in one.</summary>
    public ICanaryJudge? Judge { get; set; }

    /// <summary>Where canary verdict files go (artifacts/gates for tasks; null: not written).</summary>
    public string? VerdictDir { get; init; }

    /// <summary>Extra env for candidate instances only (fault injection in tests and benchmarks).</summary>
    public IReadOnlyDictionary<string, string> CandidateEnvironment { get; set; } = new Dictionary<string, string>();

    public static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Writes release.json, except in a dry run (which changes nothing outside artifacts).</summary>
    public void Persist(ReleaseState state)
    {
        if (!DryRun) state.Save(Layout.ReleaseStateFile);
    }

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
}
