using Pipeline.Config;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;

namespace Pipeline.Tests.Engine.Support;

/// <summary>
/// A target whose seams write what the engine asked of them, in order, to one list — for the engine's own logic
/// (step order, judging, rollback order, audit). The real seams are exercised by the single-host integration tests
/// (podman, HAProxy, Prometheus) and, on Kubernetes, by argv and recorded-JSON tests.
/// </summary>
public sealed class RecordingTarget : IReleaseTarget, IDisposable
{
    public List<string> Calls { get; } = [];
    public Queue<Verdict> Verdicts { get; } = new();
    public Exception? BringUpFailure { get; set; }
    /// <summary>The abort finds no stable instance serving (release.json still names one): it cannot roll back.</summary>
    public bool NoStableServing { get; set; }
    private readonly TempReleaseSession _state;
    public string Dir => _state.Dir;

    public RecordingTarget(EnvironmentConfig config)
    {
        _state = new TempReleaseSession("engine-", config, runner: null, "engine-test");
        Router = new RecordingRouter(Calls);
        Workloads = new RecordingWorkloads(this);
        Judge = new ScriptedJudge(this);
    }

    public static EnvironmentConfig Config(int replicas = 4, int pauseSeconds = 0, int inconclusiveTimeout = 0, params int[] steps) => new()
    {
        Name = "engine-test",
        Replicas = replicas,
        Strategy = new StrategyConfig { Kind = StrategyKind.Canary, Steps = steps.Length == 0 ? [10, 50, 100] : [.. steps], PauseSeconds = pauseSeconds },
        Gates = new GatesConfig { Canary = new CanaryGateConfig { InconclusiveTimeoutSeconds = inconclusiveTimeout } },
    };

    public TargetKind Kind => TargetKind.Kubernetes;
    public ReleaseSession Session => _state.Session;
    public ITrafficRouter Router { get; }
    public IWorkloadController Workloads { get; }
    public Uri MetricsAddress { get; } = new("http://prometheus.test:9090");
    public ICanaryJudge Judge { get; }

    public ReleaseImage Describe(string reference) => new(reference, reference == Old.Image ? Old.Version : New.Version);
    public bool IsServing(ReleaseState state, string reference) => true;
    public void MigrateToOwnContract(string reference) => Calls.Add("migrate-contract " + reference);

    public Task<ReleaseState> StartAsync(ReleaseImage candidate, ReleaseState state, CancellationToken ct)
    {
        Calls.Add("start " + candidate.Version);
        var live = state with { Candidate = candidate, Strategy = "canary", CanaryPercent = Session.Config.Strategy.Steps[0], StepStartedAt = DateTimeOffset.UtcNow };
        Session.Persist(live);
        return Task.FromResult(live);
    }

    public Func<string, bool> ArmAbort(ReleaseState state)
    {
        Calls.Add("arm-abort");
        return reason =>
        {
            Calls.Add("abort: " + reason);
            if (NoStableServing) return false;
            Session.Persist(state with { Candidate = null, CanaryPercent = 0, StepStartedAt = null });
            return state.Stable is not null;
        };
    }

    public Task<(long ToTargetMs, bool WasRunning)> RollbackToAsync(ReleaseImage target, CancellationToken ct)
    {
        Calls.Add("rollback-to " + target.Version);
        Session.Persist(new ReleaseState(target));
        return Task.FromResult((12L, true));
    }

    public DriftReport Drift() => new(1, []);

    public static readonly ReleaseImage Old = TempReleaseSession.Release("reg/orders", '1', "1.1.0");
    public static readonly ReleaseImage New = TempReleaseSession.Release("reg/orders", '2', "1.2.0");

    /// <summary>release.json with <see cref="Old"/> stable and <see cref="New"/> live at <paramref name="percent"/>.</summary>
    public void CanaryLiveAt(int percent) => _state.CanaryLiveAt(Old, New, percent);

    public void Dispose() => _state.Dispose();

    private sealed class RecordingRouter(List<string> calls) : ITrafficRouter
    {
        private TrafficRoutes _routes = new(100, 0, false);
        public void Reconcile() => calls.Add("reconcile");
        public void SetRoutes(int stableWeight, int canaryWeight) { calls.Add($"routes {stableWeight}/{canaryWeight}"); _routes = _routes with { StableWeight = stableWeight, CanaryWeight = canaryWeight }; }
        public TrafficRoutes GetRoutes() => _routes;
        public void SetPreview(bool on) { calls.Add("preview " + (on ? "on" : "off")); _routes = _routes with { PreviewOn = on }; }
    }

    private sealed class RecordingWorkloads(RecordingTarget t) : IWorkloadController
    {
        public IReadOnlyList<Workload> List() => [];
        public Task BringUpAsync(ReleaseImage candidate, int count, CancellationToken ct)
        {
            t.Calls.Add($"bring-up {candidate.Version} ×{count}");
            return t.BringUpFailure is { } e ? Task.FromException(e) : Task.CompletedTask;
        }
        public Task PromoteAsync(ReleaseImage candidate, CancellationToken ct)
        {
            t.Calls.Add("promote " + candidate.Version);
            t.Session.Persist(new ReleaseState(candidate));
            return Task.CompletedTask;
        }
        public Task RetireCanaryAsync(CancellationToken ct) { t.Calls.Add("retire-canary"); return Task.CompletedTask; }
    }

    private sealed class ScriptedJudge(RecordingTarget t) : ICanaryJudge
    {
        public Task<GateVerdict> AssessAsync(CanaryStep step, CancellationToken cancellationToken)
        {
            var v = t.Verdicts.Count > 0 ? t.Verdicts.Dequeue() : Verdict.Pass;
            t.Calls.Add($"judge {step.CanaryPercent}%: {v}");
            return Task.FromResult(new GateVerdict($"canary-{step.CanaryPercent}", v, $"scripted {v}"));
        }
    }
}
