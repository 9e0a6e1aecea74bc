using Pipeline.Config;
using Pipeline.SingleHost;

namespace Pipeline.Drill.Phases;

/// <summary>
/// Phase 6: a canary with a fault injected into the new instances only (ORDERS_FAULT_ERROR_RATE: errors;
/// ORDERS_FAULT_EXTRA_LATENCY_MS: latency, no errors). The gate must catch it and the engine roll it back by itself:
/// all traffic on stable within 30 s of the canary's first request, failures within the canary's share.
/// </summary>
public sealed class FaultyCanaryPhase(string name, IReadOnlyDictionary<string, string> fault) : IDrillPhase
{
    public string Name => name;

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var start = DateTimeOffset.UtcNow;
        var engine = run.Engine(StrategyKind.Canary, fault);
        var candidate = engine.Target.Describe(run.NextRelease());
        var rolledBack = false;
        string? note = null;
        try
        {
            DrillRun.RequireChange(await engine.DeployAsync(candidate.Image, ct), candidate.Image, StrategyKind.Canary);
            await engine.PromoteAsync(ct: ct);
            note = "the gate let it through";
        }
        catch (ReleaseAbortedException e)
        {
            rolledBack = e.RolledBack && engine.State.Candidate is null;
            note = e.Message;
        }
        finally { run.Engine(StrategyKind.Canary); } // the fault never outlives this phase
        var end = DateTimeOffset.UtcNow;
        await run.SettleAsync(ct);
        return PhaseJudge.RolledBackInTime(Name, start, end, run.Between(start, end), candidate.Version, rolledBack) with { Note = note };
    }
}
