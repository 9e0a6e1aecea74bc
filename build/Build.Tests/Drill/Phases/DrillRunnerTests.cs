using Pipeline.Drill.Phases;

namespace Pipeline.Tests.Drill.Phases;

public class DrillRunnerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 7, 12, 37, TimeSpan.Zero);

    // 12-07: the canary started right after C1, so its 30–60 s reference was the rolling release's own window.
    [Fact]
    public void A_cutover_phase_waits_until_a_full_reference_window_has_passed_since_the_last_phase()
    {
        var quiet = TimeSpan.FromSeconds(60);
        Assert.Equal(TimeSpan.FromSeconds(55), DrillRunner.QuietBefore(T0 - TimeSpan.FromSeconds(5), T0, quiet));
        Assert.Equal(TimeSpan.FromSeconds(-10), DrillRunner.QuietBefore(T0 - TimeSpan.FromSeconds(70), T0, quiet)); // already quiet: no wait
        Assert.Null(DrillRunner.QuietBefore(null, T0, quiet)); // the first phase
    }

    [Fact]
    public void Exactly_the_phases_judged_by_the_cutover_rule_ask_for_a_quiet_reference()
    {
        var judged = DrillPlan.Full().Where(p => p.JudgesCutover).Select(DrillPlan.IdOf);
        Assert.Equal(["2", "3", "4", "5"], judged);
    }
}
