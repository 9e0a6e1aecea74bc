using Pipeline.Config;

namespace Pipeline.Drill.Phases;

/// <summary>
/// Phase 4: a blue-green release, then the instant manual Rollback (blue still runs at weight 0: one weight change),
/// then forward again and promoted. 0 failed requests through all three.
/// </summary>
public sealed class BlueGreenPhase : IDrillPhase
{
    public bool Repeatable => true;

    public string Name => "4 blue-green, rollback, forward";
    public bool JudgesCutover => true;

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var start = DateTimeOffset.UtcNow;
        var engine = run.Engine(StrategyKind.BlueGreen);
        var image = run.NextRelease();
        DrillRun.RequireChange(await engine.DeployAsync(image, ct), image, StrategyKind.BlueGreen);
        await Task.Delay(run.Timings.Settle, ct);
        await engine.RollbackAsync(ct);
        var rollbackMs = run.Session.Record.Facts.GetValueOrDefault("release.rollback.toTargetMs", "?");
        await Task.Delay(run.Timings.Settle, ct);
        await run.ReleaseAsync(StrategyKind.BlueGreen, image, ct);
        var end = DateTimeOffset.UtcNow;
        await run.SettleAsync(ct);
        return run.JudgeRelease(Name, start, end, $"manual rollback to 100 % previous in {rollbackMs} ms");
    }
}
