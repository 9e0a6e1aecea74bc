using Pipeline.SingleHost;

namespace Pipeline.Drill.Phases;

/// <summary>
/// Phase 7c: the destructive migration proposed in one step — release 3's contract (drop the column <c>total</c>)
/// while 1.2.0, which still writes <c>total</c>, serves. It must be refused before any instance changes: the app's
/// migrator refuses (exit 3) a schema past what a live instance supports, run from the release's own image exactly
/// as a deploy migrates. Judged on: refused, same containers, same schema version, 0 failed requests.
/// </summary>
public sealed class IncompatibleMigrationPhase : IDrillPhase
{
    public string Name => "7c incompatible migration refused";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var s = run.Session;
        var release3 = run.Images.Release3 ?? throw new InvalidOperationException("phase 7c needs app release 3 (the contract step)");
        var slots = run.ServingSlots();
        var before = DatabaseOutagePhase.Identities(s, slots);
        var pg = new PostgresCluster(s);
        var schemaBefore = pg.SchemaVersion();
        var start = DateTimeOffset.UtcNow;
        string refusal;
        try
        {
            new AppInstances(s).Migrate(release3, new AppInstances(s).Contract(release3).SchemaMax);
            refusal = "NOT refused: the contract step ran while an older release served";
        }
        catch (InvalidOperationException e) when (e.Message.Contains("refused", StringComparison.Ordinal)) { refusal = "refused: " + e.Message; }
        await Task.Delay(run.Timings.Settle, ct);
        var end = DateTimeOffset.UtcNow;
        var unchanged = before == DatabaseOutagePhase.Identities(s, slots) && schemaBefore == pg.SchemaVersion();
        await run.SettleAsync(ct);
        var zero = PhaseJudge.ZeroFailures(Name, start, end, run.Between(start, end));
        return zero with
        {
            Target = "refused before any instance changes; schema unchanged; 0 failed requests",
            Passed = zero.Passed && unchanged && refusal.StartsWith("refused", StringComparison.Ordinal),
            Figure = $"{zero.Figure}; instances and schema {(unchanged ? $"unchanged (schema {schemaBefore})" : "CHANGED")}",
            Note = refusal,
        };
    }
}
