using Pipeline.Gates.Canary.Statistics;
using Xunit.Abstractions;

namespace Pipeline.Tests.Gates.Canary.Statistics;

public class EventRegressionTests(ITestOutputHelper output)
{
    private static readonly RegressionMargin Errors = new(Ratio: 2, Increase: 0.01);

    [Fact]
    public void Null_share_is_the_canary_share_of_events_at_exactly_the_ratio_margin()
    {
        // 10 % of traffic, margin ×2: at exactly twice stable's rate the canary gets 0.2 / (0.2 + 0.9) of the events.
        var r = EventRegression.Assess(new EventCounts(0, 100, 0, 900), Errors, 0.01, 0.2);
        Assert.Equal(0.2 / 1.1, r.NullShare, 12);
    }

    [Fact]
    public void Errors_only_on_the_canary_fail_once_the_evidence_is_in()
    {
        // +5 points of errors on the canary, none on stable.
        var r = EventRegression.Assess(new EventCounts(10, 200, 0, 1800), Errors, 0.0042, 0.2);
        Assert.True(r.Fail);
        Assert.True(r.LogEValue >= r.FailBoundary);
    }

    [Fact]
    public void A_ratio_regression_below_the_absolute_margin_never_fails()
    {
        // 0.4 % vs 0.1 %: four times stable, but only +0.3 points — below maxErrorRateIncrease.
        var r = EventRegression.Assess(new EventCounts(400, 100_000, 900, 900_000), Errors, 0.0042, 0.2);
        Assert.True(r.LogEValue >= r.FailBoundary, "the ratio test alone would fail it");
        Assert.False(r.Fail);
    }

    [Fact]
    public void Same_rates_do_not_fail_and_are_shown_below_the_margin()
    {
        var r = EventRegression.Assess(new EventCounts(3, 1000, 27, 9000), Errors, 0.0042, 0.2);
        Assert.False(r.Fail);
        Assert.True(r.BelowMargin);
        Assert.Equal(Math.Max(2 * 0.003, 0.003 + 0.01), r.PassBound, 12);
    }

    [Fact]
    public void Too_few_requests_is_not_yet_below_the_margin()
    {
        var r = EventRegression.Assess(new EventCounts(0, 20, 0, 180), Errors, 0.0042, 0.2);
        Assert.False(r.Fail);
        Assert.False(r.BelowMargin);
    }

    /// <summary>
    /// Validity of the whole Fail rule as the gate runs it, not just of the e-value: cumulative counts of a step with
    /// the canary at exactly the ratio margin (rate = Ratio × stable's), the null share recomputed from the realized
    /// traffic share at every look, looked at every second for a 60-s step at 200 req/s (at most α of the steps may
    /// ever Fail). The absolute margin is 0, so only the tested ratio null protects the canary. 1,000 steps per case:
    /// the standard error of a 5 % rate is 0.7 points. Measured: 2.0 %, 0.7 %, 2.6 % (in the order below).
    /// </summary>
    [Theory]
    [InlineData(0.10, 2.0, 0.01)]   // errors: 10 % canary, margin ×2, stable 1 % (2 events a second)
    [InlineData(0.05, 1.5, 0.05)]   // a latency bound: 5 % canary, margin ×1.5, 5 % of stable above it
    [InlineData(0.25, 2.0, 0.002)]  // a later step with rare events
    public void Looked_at_every_second_a_canary_at_the_ratio_margin_fails_at_most_alpha_of_the_time(double w, double ratio, double stableRate)
    {
        const double alpha = 0.05;
        var rng = new Random(99);
        int steps = 1000, fails = 0;
        for (var run = 0; run < steps; run++)
        {
            long ce = 0, cn = 0, se = 0, sn = 0;
            for (var second = 1; second <= 60; second++)
            {
                for (var i = 0; i < 200; i++)
                {
                    if (rng.NextDouble() < w) { cn++; if (rng.NextDouble() < ratio * stableRate) ce++; }
                    else { sn++; if (rng.NextDouble() < stableRate) se++; }
                }
                if (EventRegression.Assess(new EventCounts(ce, cn, se, sn), new RegressionMargin(ratio, 0), alpha, 0.2).Fail) { fails++; break; }
            }
        }
        output.WriteLine($"w={w} ratio={ratio} stable={stableRate}: {fails} of {steps} steps failed ({(double)fails / steps:P1}), α = {alpha:P0}");
        Assert.InRange(fails / (double)steps, 0, alpha);
    }

    [Fact]
    public void No_traffic_is_neither_fail_nor_below_margin()
    {
        var r = EventRegression.Assess(new EventCounts(0, 0, 0, 0), Errors, 0.0042, 0.2);
        Assert.False(r.Fail);
        Assert.False(r.BelowMargin);
    }
}
