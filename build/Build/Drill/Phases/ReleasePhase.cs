using Pipeline.Config;

namespace Pipeline.Drill.Phases;

/// <summary>
/// Phases 2 and 3: one whole release with a given strategy (rolling; canary through every gated step to
/// promotion) to whichever of releases 1 and 2 is not serving, judged on 0 failed requests and its p99 against the
/// window before.
/// </summary>
public sealed class ReleasePhase(string name, StrategyKind kind) : IDrillPhase
{
    public bool Repeatable => true;

    public string Name => name;
    public bool JudgesCutover => true;

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var start = DateTimeOffset.UtcNow;
        var image = run.NextRelease();
        DrillRun.RequireChange(await run.ReleaseAsync(kind, image, ct), image, kind);
        var end = DateTimeOffset.UtcNow;
        await run.SettleAsync(ct);
        return run.JudgeRelease(Name, start, end, $"{kind} to {run.Engine(kind).State.Stable?.Version}");
    }
}
