namespace Pipeline.Drill.Phases;

/// <summary>Phase 1: steady state after the traffic's warm-up, nothing changes — the reference every later window is compared with.</summary>
public sealed class BaselinePhase : IDrillPhase
{
    public string Name => "1 baseline";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        // The traffic has just met instances that never served: their first second is cold (p99 ~1.1 s in the first
        // quiet run) and would make the baseline — the floor of every later limit — a measure of start-up.
        await Task.Delay(run.Timings.TrafficWarmup, ct);
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(run.Timings.Baseline, ct);
        var end = DateTimeOffset.UtcNow;
        await run.SettleAsync(ct);
        run.BaselineP99Ms = Report.CutoverWindowRule.P99(run.Between(start, end));
        return PhaseJudge.ZeroFailures(Name, start, end, run.Between(start, end)) with { Target = $"0 failed requests over {run.Timings.Baseline.TotalSeconds:0} s" };
    }
}
