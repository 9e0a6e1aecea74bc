using Pipeline.Config;
using Pipeline.Gates.Canary;
using Pipeline.Gates.Canary.Statistics;
using Pipeline.Records;

namespace Pipeline.Tests.Gates.Canary;

public class CanaryJudgementTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly double[] Bounds = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, double.PositiveInfinity];

    // 3 steps judged, the default split: errors α = 0.05 / 3 / 2, each of the 4 latency bounds 0.05 / 3 / 2 / 4.
    private static CanaryGateConfig Config() => new() { JudgedSteps = 3, MinSamples = 100, MinSeconds = 10 };

    /// <summary>A histogram whose requests are spread over the buckets by the given shares (summing to 1).</summary>
    private static BucketHistogram Latency(double total, params double[] shares)
    {
        double cumulative = 0;
        return new BucketHistogram(Bounds.Select((le, i) =>
        {
            cumulative += i < shares.Length ? shares[i] : 0;
            return (le, Math.Round(Math.Min(1, cumulative) * total));
        }));
    }

    // Typical healthy latency: half under 5 ms, 94 % under 10 ms, 99 % under 20 ms, the rest under 50 ms.
    private static readonly double[] Healthy = [0.5, 0.44, 0.05, 0.01];

    private static TrackCounts Track(double requests, double errors, double[]? shares = null) =>
        new(requests, errors, 0, 0, Latency(requests, shares ?? Healthy));

    private static CanaryObservation Observe(TrackCounts canary, TrackCounts stable, double elapsed = 20) =>
        new(canary, stable, Latency(3000, Healthy), At, elapsed);

    [Fact]
    public void No_data_is_inconclusive_never_pass()
    {
        var v = CanaryJudgement.Assess(new CanaryObservation(TrackCounts.Empty, TrackCounts.Empty, BucketHistogram.Empty, At, 60), Config(), 10);
        Assert.Equal(Verdict.Inconclusive, v.Verdict);
    }

    [Fact]
    public void A_no_traffic_canary_beside_a_busy_stable_is_never_promoted()
    {
        var v = CanaryJudgement.Assess(Observe(TrackCounts.Empty, Track(5000, 0), elapsed: 120), Config(), 10);
        Assert.Equal(Verdict.Inconclusive, v.Verdict);
        Assert.Contains("minimum exposure", v.Summary);
    }

    [Fact]
    public void Healthy_canary_passes_after_minimum_exposure()
    {
        var v = CanaryJudgement.Assess(Observe(Track(400, 0), Track(3600, 0)), Config(), 10);
        Assert.True(v.Verdict == Verdict.Pass, v.Summary);
    }

    [Fact]
    public void Healthy_canary_waits_for_min_seconds_even_with_enough_requests()
    {
        var v = CanaryJudgement.Assess(Observe(Track(400, 0), Track(3600, 0), elapsed: 6), Config(), 10);
        Assert.Equal(Verdict.Inconclusive, v.Verdict);
    }

    [Fact]
    public void Healthy_canary_with_too_few_requests_is_inconclusive()
    {
        var v = CanaryJudgement.Assess(Observe(Track(60, 0), Track(540, 0)), Config(), 10);
        Assert.Equal(Verdict.Inconclusive, v.Verdict);
    }

    [Fact]
    public void Two_points_more_errors_fail()
    {
        // +2.5 points on the canary, none on stable (the app's usual state): 10 errors of 400 requests.
        var v = CanaryJudgement.Assess(Observe(Track(400, 10), Track(3600, 0)), Config(), 10);
        Assert.Equal(Verdict.Fail, v.Verdict);
        Assert.Contains("errors", v.Summary);
        Assert.True(v.Figures["errors.logEValue"] >= v.Figures["errors.logFailBoundary"]);
    }

    [Fact]
    public void Two_points_more_on_a_noisy_stable_fail_once_enough_errors_are_in()
    {
        // 2.5 % against stable's 0.5 %: 28 errors are not yet evidence at α = 0.05/6 …
        Assert.NotEqual(Verdict.Fail, CanaryJudgement.Assess(Observe(Track(400, 10), Track(3600, 18)), Config(), 10).Verdict);
        // … 140 are.
        Assert.Equal(Verdict.Fail, CanaryJudgement.Assess(Observe(Track(2000, 50), Track(18000, 90)), Config(), 10).Verdict);
    }

    [Fact]
    public void A_clear_error_regression_fails_before_minimum_exposure()
    {
        // 6 of the first 30 canary requests failed, none on stable, 5 s into the step.
        var v = CanaryJudgement.Assess(Observe(Track(30, 6), Track(270, 0), elapsed: 5), Config(), 10);
        Assert.Equal(Verdict.Fail, v.Verdict);
    }

    [Fact]
    public void One_error_in_a_healthy_canary_does_not_fail()
    {
        var v = CanaryJudgement.Assess(Observe(Track(400, 1), Track(3600, 0)), Config(), 10);
        Assert.NotEqual(Verdict.Fail, v.Verdict);
    }

    [Fact]
    public void A_canary_100_ms_slower_on_its_slowest_5_percent_fails_on_the_tail_bound()
    {
        // The slowest 5 % move from ≤ 20/50 ms to the 100–250 ms bucket. On the p99 bound (20 ms; the canary counted
        // above 50 ms) stable's own 1 % above 20 ms share the events, so it takes ~140 of them (1,000 canary requests).
        var slowTail = new[] { 0.5, 0.44, 0.01, 0.0, 0.0, 0.05 };
        var p99Only = Config();
        p99Only.LatencyQuantiles = [0.5, 0.99];
        Assert.NotEqual(Verdict.Fail, CanaryJudgement.Assess(Observe(Track(200, 0, slowTail), Track(1800, 0)), p99Only, 10).Verdict);
        var v = CanaryJudgement.Assess(Observe(Track(1000, 0, slowTail), Track(9000, 0)), p99Only, 10);
        Assert.True(v.Verdict == Verdict.Fail, v.Summary);
        Assert.Contains("latency.q99:", v.Summary);
    }

    [Fact]
    public void The_p999_bound_catches_the_slower_tail_within_a_handful_of_requests()
    {
        // Same canary. Above stable's p99.9 bound (50 ms; the canary counted above 100 ms) stable has nothing, so
        // the canary's own slow requests are the only events: 3 of them are still luck, 10 (200 requests) are not.
        var slowTail = new[] { 0.5, 0.44, 0.01, 0.0, 0.0, 0.05 };
        Assert.NotEqual(Verdict.Fail, CanaryJudgement.Assess(Observe(Track(60, 0, slowTail), Track(540, 0), elapsed: 4), Config(), 10).Verdict);
        var v = CanaryJudgement.Assess(Observe(Track(200, 0, slowTail), Track(1800, 0), elapsed: 10), Config(), 10);
        Assert.True(v.Verdict == Verdict.Fail, v.Summary);
        Assert.Contains("latency.q99.9:", v.Summary);
        Assert.DoesNotContain("latency.q99:", v.Summary);
    }

    [Fact]
    public void A_p95_bound_cannot_see_a_regression_of_the_slowest_5_percent()
    {
        // Stable's p95 bound is 10 ms (96 % ≤ 10 ms, the slowest 4 % ≤ 20 ms). The canary's slowest 4 % moved to
        // 100–250 ms are still 4 % above it (and above the canary's 50 ms, 10 + 20 rounded up to a bucket bound) — no
        // event excess at that bound, however slow.
        var stableShares = new[] { 0.5, 0.46, 0.04 };
        var canaryShares = new[] { 0.5, 0.46, 0.0, 0.0, 0.0, 0.04 };
        var config = Config();
        config.LatencyQuantiles = [0.95];
        var o = new CanaryObservation(Track(2000, 0, canaryShares), Track(18000, 0, stableShares), Latency(30000, stableShares), At, 60);
        var v = CanaryJudgement.Assess(o, config, 10);
        Assert.NotEqual(Verdict.Fail, v.Verdict);
        Assert.Equal(0.01, v.Figures["latency.q95.boundSeconds"]);
        Assert.Equal(0.05, v.Figures["latency.q95.canaryBoundSeconds"]);
    }

    [Fact]
    public void A_canary_100_ms_slower_on_every_request_fails_within_a_handful_of_requests()
    {
        var allSlow = new[] { 0.0, 0.0, 0.0, 0.0, 0.0, 1.0 };
        var v = CanaryJudgement.Assess(Observe(Track(20, 0, allSlow), Track(180, 0), elapsed: 2), Config(), 10);
        Assert.Equal(Verdict.Fail, v.Verdict);
    }

    [Fact]
    public void A_slower_tail_of_a_few_milliseconds_is_below_the_latency_floor()
    {
        // The fast half one bucket slower (≤ 5 ms → ≤ 10 ms), the tail unchanged: clearly slower, by 5 ms.
        var oneBucketSlower = new[] { 0.0, 0.94, 0.05, 0.01 };
        var v = CanaryJudgement.Assess(Observe(Track(400, 0, oneBucketSlower), Track(3600, 0)), Config(), 10);
        Assert.NotEqual(Verdict.Fail, v.Verdict);
    }

    [Fact]
    public void Verdict_records_statistic_boundary_exposure_and_the_budget_split()
    {
        var v = CanaryJudgement.Assess(Observe(Track(400, 0), Track(3600, 0)), Config(), 25);
        Assert.Equal(0.05 / 6, v.Figures["alphaErrors"], 12);
        Assert.Equal(0.05 / 24, v.Figures["alphaPerLatencyBound"], 12);
        Assert.Equal(Math.Log(6 / 0.05), v.Figures["errors.logFailBoundary"], 9);
        Assert.Equal(Math.Log(24 / 0.05), v.Figures["latency.q99.9.logFailBoundary"], 9);
        Assert.Equal(400, v.Figures["canary.requests"]);
        Assert.Equal(0.02, v.Figures["latency.q99.boundSeconds"]);
        Assert.Equal("canary-25", v.ToGateVerdict().Gate);
        Assert.All(v.ToGateVerdict().Figures!.Values, f => Assert.True(double.IsFinite(f)));
    }

    [Fact]
    public void Proxy_failures_count_against_the_track_whose_servers_produced_them()
    {
        // The canary's own /metrics shows nothing wrong; HAProxy saw 12 connection errors on its servers.
        var canary = new TrackCounts(400, 0, ProxyResponses5xx: 0, ProxyFailures: 12, Latency(400, Healthy));
        var v = CanaryJudgement.Assess(Observe(canary, Track(3600, 0)), Config(), 10);
        Assert.Equal(Verdict.Fail, v.Verdict);
        Assert.Equal(12, v.Figures["canary.errors"]);
        Assert.Equal(412, v.Figures["canary.requests"]);
    }

    [Fact]
    public void Proxy_5xx_that_include_the_apps_own_are_not_counted_twice()
    {
        var canary = new TrackCounts(400, 3, ProxyResponses5xx: 4, ProxyFailures: 0, Latency(400, Healthy));
        Assert.Equal(4, canary.Errors);
    }
}
