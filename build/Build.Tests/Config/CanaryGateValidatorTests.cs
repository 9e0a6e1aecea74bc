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
            FalseRollbackBudget = 0, MaxErrorRatio = 0.5, PassRisk = 1, LatencyQuantiles = [0.99, 0.99], MinSamples = 0,
        }).ToList();
        Assert.Contains(errors, e => e.StartsWith("gates.canary.falseRollbackBudget:"));
        Assert.Contains(errors, e => e.StartsWith("gates.canary.maxErrorRatio:"));
        Assert.Contains(errors, e => e.StartsWith("gates.canary.passRisk:"));
        Assert.Contains(errors, e => e.StartsWith("gates.canary.latencyQuantiles: must not repeat"));
        Assert.Contains(errors, e => e.StartsWith("gates.canary.minSamples:"));
    }

    [Fact]
    public void The_budget_is_split_over_metrics_and_judged_steps()
    {
        var config = ConfigLoader.Parse("name: x\nstrategy:\n  steps: [10, 25, 50, 100]\ngates:\n  canary:\n    falseRollbackBudget: 0.06\n    latencyQuantiles: [0.5, 0.99]\n", "x.yaml", "x");
        Assert.Equal(3, config.Gates.Canary.JudgedSteps);
        Assert.Equal(0.06 / 9, config.Gates.Canary.AlphaPerTest, 12);
    }
}
