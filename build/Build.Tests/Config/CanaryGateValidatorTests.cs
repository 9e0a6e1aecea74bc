using Pipeline.Config;

namespace Pipeline.Tests.Config;

public class CanaryGateValidatorTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(ConfigValidator.CanaryGateErrors(new CanaryGateConfig()));

    [Fact]
    public void A_step_shorter_than_four_scrapes_is_refused() =>
        Assert.Equal(["gates.canary.minSeconds: must be at least 4 × scrapeIntervalSeconds (60 s)"],
            ConfigValidator.CanaryGateErrors(new CanaryGateConfig { ScrapeIntervalSeconds = 15, MinSeconds = 30, BaselineSeconds = 600, InconclusiveTimeoutSeconds = 600 }));

    [Fact]
    public void Budget_margins_and_risks_out_of_range_are_each_named()
    {
        var errors = ConfigValidator.CanaryGateErrors(new CanaryGateConfig
        {
            FalseRollbackBudget = 0, MaxErrorRatio = 0.5, PassRisk = 1, LatencyQuantiles = [0.99, 0.99], MinSamples = 0, ErrorBudgetShare = 1,
        }).ToList();
        Assert.Contains(errors, e => e.StartsWith("gates.canary.errorBudgetShare:"));
        Assert.Contains(errors, e => e.StartsWith("gates.canary.falseRollbackBudget:"));
        Assert.Contains(errors, e => e.StartsWith("gates.canary.maxErrorRatio:"));
        Assert.Contains(errors, e => e.StartsWith("gates.canary.passRisk:"));
        Assert.Contains(errors, e => e.StartsWith("gates.canary.latencyQuantiles: must not repeat"));
        Assert.Contains(errors, e => e.StartsWith("gates.canary.minSamples:"));
    }

    [Fact]
    public void The_budget_is_split_over_judged_steps_then_errors_and_latency_bounds()
    {
        var config = ConfigLoader.Parse("name: x\nstrategy:\n  steps: [10, 25, 50, 100]\ngates:\n  canary:\n    falseRollbackBudget: 0.06\n    errorBudgetShare: 0.5\n    latencyQuantiles: [0.5, 0.99, 0.999]\n", "x.yaml", "x");
        var c = config.Gates.Canary;
        Assert.Equal(3, c.JudgedSteps);
        Assert.Equal(0.06 / 3 / 2, c.ErrorAlpha, 12);
        Assert.Equal(0.06 / 3 / 2 / 3, c.LatencyAlphaPerBound, 12);
        // Weighted Bonferroni: every e-process of every judged step together spend exactly the release's budget.
        Assert.Equal(0.06, c.JudgedSteps * (c.ErrorAlpha + c.LatencyQuantiles.Count * c.LatencyAlphaPerBound), 12);
    }

    [Fact]
    public void Without_latency_bounds_errors_get_the_whole_step_budget()
    {
        var c = new CanaryGateConfig { FalseRollbackBudget = 0.05, JudgedSteps = 2, LatencyQuantiles = [] };
        Assert.Equal(0.025, c.ErrorAlpha, 12);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_environment_spends_exactly_its_budget_and_tests_the_p999_bound(string name)
    {
        var dir = Path.Combine(BuildPaths.Discover("local").RepoRoot, "build", "environments");
        var c = ConfigLoader.Load(dir, name, honourOverride: false).Gates.Canary;
        Assert.Empty(ConfigValidator.CanaryGateErrors(c));
        Assert.Contains(0.999, c.LatencyQuantiles);
        Assert.Equal(c.FalseRollbackBudget, c.JudgedSteps * (c.ErrorAlpha + c.LatencyQuantiles.Count * c.LatencyAlphaPerBound), 12);
    }
}
