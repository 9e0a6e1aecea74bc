using Pipeline.Metrics;

namespace Pipeline.Tests.Metrics;

public class CounterIncreaseTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly TimeSpan Half = TimeSpan.FromMilliseconds(500);

    private static MetricSeries Series(int firstSecond, params double[] values) =>
        new(new Dictionary<string, string>(), values.Select((v, i) => new MetricPoint(T0.AddSeconds(firstSecond + i), v)).ToList());

    [Fact]
    public void A_series_present_at_the_start_counts_only_what_came_after() =>
        Assert.Equal(7, CounterIncrease.Of(Series(0, 100, 101, 104, 107), T0, Half));

    [Fact]
    public void A_series_born_mid_step_counts_from_zero() =>
        // A canary instance started 3 s into the step: its pre-created 5xx series starts at 0, its first scrape already shows 2.
        Assert.Equal(5, CounterIncrease.Of(Series(3, 2, 4, 5), T0, Half));

    [Fact]
    public void A_long_lived_proxy_counter_joining_mid_step_counts_only_what_came_after() =>
        // HAProxy server s3 joined the canary 3 s in; its 40 errors are from the release it served before.
        Assert.Equal(2, CounterIncrease.Of(Series(3, 40, 41, 42), T0, Half, bornAtZero: false));

    [Fact]
    public void A_counter_reset_counts_the_new_value_from_zero() =>
        // 100 → 110, restart, 3 → 8: 10 + 3 + 5.
        Assert.Equal(18, CounterIncrease.Of(Series(0, 100, 110, 3, 8), T0, Half));

    [Fact]
    public void Sum_by_label_adds_instances_per_bucket()
    {
        MetricSeries S(string le, int first, params double[] v) => Series(first, v) with { Labels = new Dictionary<string, string> { ["le"] = le } };
        var sums = CounterIncrease.SumBy([S("0.01", 0, 5, 9), S("0.01", 2, 1, 3), S("+Inf", 0, 10, 20)], "le", T0, Half);
        Assert.Equal(7, sums["0.01"]);
        Assert.Equal(10, sums["+Inf"]);
    }
}
