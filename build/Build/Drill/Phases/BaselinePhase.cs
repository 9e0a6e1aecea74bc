namespace Pipeline.Drill.Phases;

/// <summary>Phase 1: steady state, nothing changes — the reference every later window is compared with.</summary>
public sealed class BaselinePhase : IDrillPhase
{
    public string Name => "1 baseline";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(run.Timings.Baseline, ct);
        var end = DateTimeOffset.UtcNow;
        await run.SettleAsync(ct);
        run.BaselineP99Ms = Report.CutoverWindowRule.P99(run.Between(start, end));
        return PhaseJudge.ZeroFailures(Name, start, end, run.Between(start, end)) with { Target = $"0 failed requests over {run.Timings.Baseline.TotalSeconds:0} s" };
    }
}
