using Pipeline.Gates.Canary.Statistics;

namespace Pipeline.Tests.Gates.Canary.Statistics;

public class EventRegressionTests
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

    [Fact]
    public void No_traffic_is_neither_fail_nor_below_margin()
    {
        var r = EventRegression.Assess(new EventCounts(0, 0, 0, 0), Errors, 0.0042, 0.2);
        Assert.False(r.Fail);
        Assert.False(r.BelowMargin);
    }
}
