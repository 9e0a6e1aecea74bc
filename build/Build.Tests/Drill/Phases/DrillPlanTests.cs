using Pipeline.Drill.Phases;

namespace Pipeline.Tests.Drill.Phases;

public class DrillPlanTests
{
    private static string Ids(IEnumerable<IDrillPhase> phases) => string.Join(",", phases.Select(DrillPlan.IdOf));

    [Fact]
    public void Without_a_selection_the_whole_drill_runs() =>
        Assert.Equal("1,2,C1,3,4,C2,6a,6b,7a,7b,C3,7c,5,C4", Ids(DrillPlan.Select(DrillPlan.Full(), null)));

    [Fact]
    public void A_selection_keeps_the_baseline_and_the_drills_order_whatever_order_it_is_given_in() =>
        Assert.Equal("1,3,4,C4", Ids(DrillPlan.Select(DrillPlan.Full(), "c4, 4,3")));

    [Theory]
    [InlineData("2,8", "--phases: unknown phase '8'")]
    [InlineData(",", "--phases: no phase named")]
    public void An_unknown_or_empty_selection_is_refused_with_the_valid_ids(string ids, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => DrillPlan.Select(DrillPlan.Full(), ids));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.EndsWith("the drill's phases are 1, 2, C1, 3, 4, C2, 6a, 6b, 7a, 7b, C3, 7c, 5, C4.", e.Message, StringComparison.Ordinal);
    }

    // A partial drill starts on release 1 (after Reset); `--phases=3` used to "release" 1.1.0 onto 1.1.0 and pass.
    [Theory]
    [InlineData("r1", "r2")]
    [InlineData("r2", "r1")]
    [InlineData(null, "r1")]
    [InlineData("r3", "r1")]
    public void A_release_phase_moves_to_the_release_of_1_and_2_that_is_not_serving(string? serving, string next) =>
        Assert.Equal(next, new DrillImages("r1", "r2", "r3").Other(serving));

    [Fact]
    public void A_release_phase_whose_deploy_found_its_release_already_serving_fails()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DrillRun.RequireChange(Pipeline.Release.DeployOutcome.AlreadyServing, "img@sha256:1", Pipeline.Config.StrategyKind.Canary));
        Assert.Equal("img@sha256:1 was already serving: the Canary release changed nothing, so the phase would prove nothing", e.Message);
        DrillRun.RequireChange(Pipeline.Release.DeployOutcome.Deployed, "img@sha256:1", Pipeline.Config.StrategyKind.Canary);
    }
}
