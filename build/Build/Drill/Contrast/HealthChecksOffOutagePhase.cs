using Pipeline.Drill.Phases;

namespace Pipeline.Drill.Contrast;

/// <summary>
/// Contrast: the database outage of phase 7b with the LB's health checks off (<see cref="HealthChecksOff"/>).
/// Readiness still goes red, but nobody looks: every request goes on to an instance that cannot serve it.
/// </summary>
public sealed class HealthChecksOffOutagePhase : IDrillPhase
{
    public string Name => "C3 LB health checks off during the database outage";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var slots = run.ServingSlots();
        var start = DateTimeOffset.UtcNow;
        using (new HealthChecksOff(run.Session, slots))
        {
            await DatabaseOutagePhase.OutageAsync(run, slots, ct);
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
        }
        var end = DateTimeOffset.UtcNow;
        await run.SettleAsync(ct);
        return PhaseJudge.ContrastShowsOutage(Name, start, end, run.Between(start - TimeSpan.FromSeconds(30), start), run.Between(start, end), "LB health checks");
    }
}
