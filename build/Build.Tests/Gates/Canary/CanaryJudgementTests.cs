using Pipeline.Config;
using Pipeline.Gates.Canary;
using Pipeline.Records;

namespace Pipeline.Tests.Gates.Canary;

public class CanaryJudgementTests
{
    private static readonly CanaryGateConfig Config = new()
    {
        MaxErrorRateIncrease = 0.01, MaxP99Ratio = 1.5, MinSamples = 100, Alpha = 0.05, MinEffectSize = 0.2, WindowSeconds = 20, SampleStepSeconds = 2,
    };

    // Ten 2-s intervals of a track: error ratio and mean latency per interval with seeded noise.
    private static TrackObservation Track(double requests, double errorRate, double meanLatency, double p99, int seed, double noise = 0.1)
    {
        var random = new Random(seed);
        double Jitter(double v) => v * (1 + noise * (random.NextDouble() * 2 - 1));
        var ratios = Enumerable.Range(0, 10).Select(_ => errorRate == 0 ? 0 : Math.Clamp(Jitter(errorRate), 0, 1)).ToList();
        var latencies = Enumerable.Range(0, 10).Select(_ => Jitter(meanLatency)).ToList();
        return new TrackObservation(requests, requests * errorRate, meanLatency, p99, ratios, latencies);
    }

    private static CanaryVerdict Judge(TrackObservation canary, TrackObservation baseline, int window = 20) =>
        CanaryJudgement.Assess(new CanaryObservation(canary, baseline, DateTimeOffset.UnixEpoch, window), Config, 25);

    private static readonly TrackObservation Stable = Track(2000, 0, 0.010, 0.025, seed: 1);

    [Fact]
    public void No_data_is_inconclusive_never_pass()
    {
        var verdict = Judge(TrackObservation.Empty, Stable);
        Assert.Equal(Verdict.Inconclusive, verdict.Verdict);
        Assert.Contains("fewer than minSamples", verdict.Summary);
    }

    [Fact]
    public void Few_samples_are_inconclusive_even_when_they_look_perfect()
    {
        var verdict = Judge(Track(99, 0, 0.010, 0.025, seed: 2), Stable);
        Assert.Equal(Verdict.Inconclusive, verdict.Verdict);
        Assert.Equal(99, verdict.Figures["canary.requests"]);
    }

    [Fact]
    public void Baseline_without_traffic_is_inconclusive()
    {
        var verdict = Judge(Track(500, 0, 0.010, 0.025, seed: 2), TrackObservation.Empty);
        Assert.Equal(Verdict.Inconclusive, verdict.Verdict);
        Assert.Contains("baseline", verdict.Summary);
    }

    [Fact]
    public void Equal_tracks_pass()
    {
        var verdict = Judge(Track(500, 0, 0.010, 0.025, seed: 3), Stable);
        Assert.Equal(Verdict.Pass, verdict.Verdict);
        Assert.Equal(0.0, verdict.Figures["errorRateIncrease"]);
        Assert.Equal(1.0, verdict.Figures["p99Ratio"]);
    }

    [Fact]
    public void Twenty_percent_errors_fail()
    {
        var verdict = Judge(Track(500, 0.2, 0.010, 0.025, seed: 4), Stable);
        Assert.Equal(Verdict.Fail, verdict.Verdict);
        Assert.Contains("errors:", verdict.Summary);
        Assert.True(verdict.Figures["errors.pValue"] < 0.001);
        Assert.Equal(1.0, verdict.Figures["errors.effectSize"]);
    }

    [Fact]
    public void Tripled_latency_fails_on_ratio_and_effect_size()
    {
        var verdict = Judge(Track(500, 0, 0.030, 0.075, seed: 5), Stable);
        Assert.Equal(Verdict.Fail, verdict.Verdict);
        Assert.Contains("latency:", verdict.Summary);
        Assert.Equal(3.0, verdict.Figures["p99Ratio"], 6);
        Assert.True(verdict.Figures["latency.effectSize"] > 1.5);
    }

    [Fact]
    public void Tiny_significant_slowdown_below_effect_floor_passes()
    {
        // 8 % slower on every interval with 1 % noise: the U test is certain (p < 0.001), but the shift is
        // below minEffectSize 0.2 and the p99 ratio is within 1.5: not worth a rollback.
        var canary = Track(500, 0, 0.0108, 0.027, seed: 6, noise: 0.01);
        var baseline = Track(2000, 0, 0.010, 0.025, seed: 7, noise: 0.01);
        var verdict = Judge(canary, baseline);
        Assert.Equal(Verdict.Pass, verdict.Verdict);
        Assert.True(verdict.Figures["latency.pValue"] < 0.001);
        Assert.True(verdict.Figures["latency.effectSize"] < 0.2);
    }

    [Fact]
    public void Ratio_breach_without_significant_shift_waits()
    {
        // One slow outlier pushes the window p99 to 2× while the per-interval means are the same as stable's.
        var verdict = Judge(Track(500, 0, 0.010, 0.050, seed: 8), Stable);
        Assert.Equal(Verdict.Inconclusive, verdict.Verdict);
        Assert.Contains("not yet significant", verdict.Summary);
    }

    [Fact]
    public void Error_breach_with_too_few_intervals_waits()
    {
        var canary = Track(500, 0.2, 0.010, 0.025, seed: 9) with { ErrorRatios = [0.2, 0.2, 0.2] };
        var verdict = Judge(canary, Stable);
        Assert.Equal(Verdict.Inconclusive, verdict.Verdict);
    }

    [Fact]
    public void Young_step_may_fail_but_not_pass()
    {
        Assert.Equal(Verdict.Inconclusive, Judge(Track(500, 0, 0.010, 0.025, seed: 10), Stable, window: 12).Verdict);
        Assert.Equal(Verdict.Fail, Judge(Track(500, 0.2, 0.010, 0.025, seed: 11), Stable, window: 12).Verdict);
    }

    [Fact]
    public void Verdict_carries_thresholds_and_drops_non_finite_figures_for_json()
    {
        var verdict = Judge(TrackObservation.Empty, Stable);
        var gate = verdict.ToGateVerdict();
        Assert.Equal("canary-25", gate.Gate);
        Assert.Equal(1.5, gate.Figures!["threshold.maxP99Ratio"]);
        Assert.DoesNotContain("canary.errorRate", gate.Figures.Keys); // NaN with no requests
        Assert.All(gate.Figures.Values, v => Assert.True(double.IsFinite(v)));
    }
}
