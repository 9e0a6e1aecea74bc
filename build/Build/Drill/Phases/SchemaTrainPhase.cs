using Pipeline.Config;
using Pipeline.SingleHost;

namespace Pipeline.Drill.Phases;

/// <summary>
/// Phase 5, the schema train's last legs (release 1 was the drill's first install — expand + backfill, schema 3 —
/// and release 2 was phase 2's rolling release): release 3 (reads total_cents; schema stays 3 while 1.2.0 could come
/// back), a Rollback to 1.2.0 between expand and contract that must keep serving reads AND writes, release 3 forward
/// again, then the contract step (release 3 re-released alone: schema 4, column <c>total</c> dropped). Every leg is a
/// distinct release through the engine; 0 failed requests over all of them.
/// </summary>
public sealed class SchemaTrainPhase : IDrillPhase
{
    public string Name => "5 schema train 3 → rollback 2 → 3 → contract";
    public bool JudgesCutover => true;

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var release3 = run.Images.Release3 ?? throw new InvalidOperationException("phase 5 needs app release 3");
        var start = DateTimeOffset.UtcNow;
        await run.ReleaseAsync(StrategyKind.Rolling, release3, ct);
        await Task.Delay(run.Timings.Settle, ct);
        await run.Engine(StrategyKind.Rolling).RollbackAsync(ct);
        var rolledBackAt = DateTimeOffset.UtcNow;
        await Task.Delay(run.Timings.Settle, ct);
        var onPrevious = run.Between(rolledBackAt, DateTimeOffset.UtcNow);
        var version2 = run.Engine(StrategyKind.Rolling).State.Stable?.Version;
        var writes = onPrevious.Count(r => r.IsWrite && !r.Failed && r.Version == version2);
        var reads = onPrevious.Count(r => !r.IsWrite && !r.Failed && r.Version == version2);
        await run.ReleaseAsync(StrategyKind.Rolling, release3, ct);
        await run.ReleaseAsync(StrategyKind.Rolling, release3, ct); // the contract step: alone, release 3 migrates to its schemaMax
        var schema = new PostgresCluster(run.Session).SchemaVersion();
        var end = DateTimeOffset.UtcNow;
        await run.SettleAsync(ct);
        var result = run.JudgeRelease(Name, start, end, $"after the rollback {version2} answered {reads} reads and {writes} writes; schema {schema} at the end");
        return result with { Passed = result.Passed && reads > 0 && writes > 0 && schema == 4 };
    }
}
