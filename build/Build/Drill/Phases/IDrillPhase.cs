namespace Pipeline.Drill.Phases;

/// <summary>
/// One phase of the release drill: it does something real to the environment under traffic and judges the
/// requests of its own window against its target from issue 10 (<see cref="PhaseJudge"/>).
/// </summary>
public interface IDrillPhase
{
    string Name { get; }
    Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct);

    /// <summary>
    /// Can run again from the release that served before it (the drill re-runs a phase whose window CPU steal made
    /// unjudgeable). The schema train cannot: its contract step has no way back.
    /// </summary>
    bool Repeatable => false;

    /// <summary>
    /// Judged by the cutover p99 rule, whose reference is the 30–60 s before the phase: that window must hold no
    /// other phase (see <see cref="DrillRunner.QuietBefore"/>).
    /// </summary>
    bool JudgesCutover => false;
}
