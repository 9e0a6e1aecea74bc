using Pipeline.Config;
using Pipeline.Release;
using Pipeline.SingleHost;

namespace Pipeline.Drill.Phases;

/// <summary>The three app releases of the expand → migrate → contract change, pinned by digest (1.1.0, 1.2.0, 1.3.0).</summary>
public sealed record DrillImages(string Release1, string Release2, string? Release3)
{
    /// <summary>
    /// Of releases 1 and 2 (both on schema 3), the one not serving: what a release phase moves to. WHY: a phase bound
    /// to a fixed release was a no-op whenever that release already served — `--phases=3` after Reset "released"
    /// 1.1.0 onto 1.1.0 and passed on 27 requests, proving nothing.
    /// </summary>
    public string Other(string? serving) => serving == Release1 ? Release2 : Release1;
}

/// <summary>
/// How long each part of the drill lasts. <see cref="Full"/> is the benchmark of issue 10 (baseline ≥ 60 s, database
/// outage 20 s); the shortened drill of the test suite uses seconds, at a lower rate.
/// </summary>
public sealed record DrillTimings(TimeSpan Baseline, TimeSpan Settle, TimeSpan DatabaseOutage, TimeSpan ContrastWindow)
{
    /// <summary>Quiet before a re-run: the cutover rule's reference is the 30–60 s before the phase, which must not hold the return release.</summary>
    public TimeSpan RerunQuiet { get; init; } = Report.CutoverWindowRule.ReferenceFrom;

    /// <summary>Traffic before the baseline's window opens (not judged): the instances' first requests are cold.</summary>
    public TimeSpan TrafficWarmup { get; init; } = TimeSpan.FromSeconds(20);

    public static DrillTimings Full { get; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(15));
    public static DrillTimings Short { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)) { RerunQuiet = TimeSpan.FromSeconds(5), TrafficWarmup = TimeSpan.FromSeconds(2) };
}

/// <summary>
/// What every phase works with: the environment's session, the images, the traffic that runs from the drill's
/// start to its end, and the release engine — the SAME <see cref="ReleaseEngine"/> and single-host target a normal
/// release uses (there is no second release path). A phase picks its strategy by setting strategy.kind on this run's
/// in-memory configuration, as an environment file would.
/// </summary>
public sealed class DrillRun(SingleHostSession session, DrillImages images, IDrillTraffic traffic, DrillTimings timings)
{
    public SingleHostSession Session { get; } = session;
    public DrillImages Images { get; } = images;
    public IDrillTraffic Traffic { get; } = traffic;
    public DrillTimings Timings { get; } = timings;

    /// <summary>The release engine with <paramref name="kind"/> as the strategy and <paramref name="candidateEnvironment"/> for new instances only.</summary>
    public ReleaseEngine Engine(StrategyKind kind, IReadOnlyDictionary<string, string>? candidateEnvironment = null)
    {
        Session.Config.Strategy.Kind = kind;
        Session.CandidateEnvironment = candidateEnvironment ?? new Dictionary<string, string>();
        return new ReleaseEngine(ReleaseTargets.ForSingleHost(Session));
    }

    /// <summary>
    /// One whole release, as Release's deploy half runs it: deploy (first part), then promote (the rest, judged).
    /// "Already serving" is not an error here: the schema train's contract step deploys the serving release again on
    /// purpose (its migration to schema 4); a phase that must change the version checks with <see cref="RequireChange"/>.
    /// </summary>
    public async Task<DeployOutcome> ReleaseAsync(StrategyKind kind, string image, CancellationToken ct)
    {
        var engine = Engine(kind);
        var outcome = await engine.DeployAsync(image, ct);
        if (engine.State.Candidate is not null) await engine.PromoteAsync(ct: ct);
        return outcome;
    }

    /// <summary>The release a release phase deploys: of releases 1 and 2, the one not serving now (<see cref="DrillImages.Other"/>).</summary>
    public string NextRelease() => Images.Other(ReleaseState.Load(Session.Layout.ReleaseStateFile).Stable?.Image);

    /// <summary>A release phase's deploy must change the version: one that found it already serving proves nothing, and fails the phase.</summary>
    public static void RequireChange(DeployOutcome outcome, string image, StrategyKind kind)
    {
        if (outcome == DeployOutcome.AlreadyServing)
            throw new InvalidOperationException($"{image} was already serving: the {kind} release changed nothing, so the phase would prove nothing");
    }

    /// <summary>Lets requests sent so far finish before they are judged (and separates phases on the timeline).</summary>
    public Task SettleAsync(CancellationToken ct) => Task.Delay(Timings.Settle, ct);

    /// <summary>Requests scheduled in [from, to).</summary>
    public IReadOnlyList<RequestRecord> Between(DateTimeOffset from, DateTimeOffset to) => Traffic.Between(from, to);

    /// <summary>Slots of running instances that are in the load balancer (not in maintenance).</summary>
    public List<int> ServingSlots()
    {
        var enabled = new LoadBalancer(Session).EnabledSlots().ToHashSet();
        return [.. new AppInstances(Session).List().Where(i => i.Running && i.Slot is { } s && enabled.Contains(s)).Select(i => i.Slot!.Value).Order()];
    }

    /// <summary>The baseline phase's p99 (ms): the floor every cutover's limit keeps (baseline + 5 ms).</summary>
    public double? BaselineP99Ms { get; set; }

    /// <summary>
    /// Judges a release phase: 0 failures in it, and its p99 by the drill's one cutover rule
    /// (<see cref="Report.CutoverWindowRule"/>: against the 30–60 s before it, not judged when CPU steal was high).
    /// </summary>
    public PhaseResult JudgeRelease(string name, DateTimeOffset start, DateTimeOffset end, string? note = null)
    {
        var zero = PhaseJudge.ZeroFailures(name, start, end, Between(start, end), note);
        var baseline = BaselineP99Ms ?? Report.CutoverWindowRule.P99(Between(start - Report.CutoverWindowRule.ReferenceFrom, start - Report.CutoverWindowRule.ReferenceTo));
        var cutover = Report.CutoverWindowRule.Judge(Traffic, Traffic.Steal, start, end, baseline);
        return zero with
        {
            Target = "0 failed requests; p99 ≤ max(1.25× the 30–60 s before, baseline + 5 ms)",
            // A stolen window is not judged (the figure says so and asks for a re-run); it never hides a failed request.
            Passed = zero.Passed && cutover.Verdict != Report.WindowVerdict.Fail,
            Figure = zero.Figure + "; " + cutover.Figure,
            Stolen = cutover.Verdict == Report.WindowVerdict.Stolen,
        };
    }
}
