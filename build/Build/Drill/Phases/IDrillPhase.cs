namespace Pipeline.Drill.Phases;

/// <summary>
/// One phase of the release drill: it does something real to the environment under traffic and judges the
/// requests of its own window against its target from issue 10 (<see cref="PhaseJudge"/>).
/// </summary>
public interface IDrillPhase
{
    string Name { get; }
    Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct);
}
