using System.Globalization;
using Pipeline.Config;
using Pipeline.Records;

namespace Pipeline.Gates.Canary;

/// <summary>
/// The decision rules, pure over an observation (unit-tested without Prometheus). Per metric, two questions:
/// is the canary worse by more than the configured threshold (maxErrorRateIncrease, maxP99Ratio), and is that
/// difference real rather than noise (Mann-Whitney U one-sided p &lt; alpha with an effect size of at least
/// minEffectSize)? Both yes: Fail. Threshold breached but not (yet) significant: Inconclusive, keep watching —
/// one slow scrape interval on a VM with CPU steal must not roll back a healthy release, and a real fault
/// becomes significant within a few more intervals. Significant but within thresholds: Pass, with a note.
/// Too little traffic on either track is Inconclusive, never Pass.
/// </summary>
public static class CanaryJudgement
{
    /// <summary>Below this many intervals per track the U test is not attempted (its normal approximation would be meaningless).</summary>
    public const int MinIntervals = 5;

    public static CanaryVerdict Assess(CanaryObservation o, CanaryGateConfig config, int stepWeight)
    {
        var figures = BaseFigures(o, config, stepWeight);
        var reasons = new List<string>();
        CanaryVerdict Judged(Verdict v, string summary) => new(v, stepWeight, summary, reasons, figures, o.At);

        if (o.Canary.Requests < config.MinSamples)
            return Judged(Records.Verdict.Inconclusive,
                $"canary served {F(o.Canary.Requests, "0")} requests in {o.WindowSeconds} s, fewer than minSamples {config.MinSamples}: not enough data to judge");
        if (o.Baseline.Requests < config.MinSamples)
            return Judged(Records.Verdict.Inconclusive,
                $"baseline served {F(o.Baseline.Requests, "0")} requests in {o.WindowSeconds} s, fewer than minSamples {config.MinSamples}: nothing to compare against");

        // Errors: absolute increase of the window's 5xx ratio; effect size = rank-biserial correlation of the
        // per-interval ratios (a relative shift is undefined when the baseline's ratio is 0, as it usually is).
        var errorIncrease = o.Canary.ErrorRate - o.Baseline.ErrorRate;
        figures["errorRateIncrease"] = errorIncrease;
        var errorTest = TestOrNull(o.Canary.ErrorRatios, o.Baseline.ErrorRatios);
        AddTest(figures, "errors", errorTest);
        var errorEffect = errorTest?.RankBiserial ?? double.NaN;
        figures["errors.effectSize"] = errorEffect;
        var errorBreach = errorIncrease > config.MaxErrorRateIncrease;
        var errorSignificant = errorTest is not null && errorTest.PGreater < config.Alpha && errorEffect >= config.MinEffectSize;

        // Latency: the window's p99 ratio against maxP99Ratio; effect size = Hodges-Lehmann shift of the
        // per-interval mean latency relative to the baseline's median (0.2 = the canary is 20 % slower).
        var p99Ratio = o.Baseline.P99 > 0 ? o.Canary.P99 / o.Baseline.P99 : double.NaN;
        figures["p99Ratio"] = p99Ratio;
        var latencyTest = TestOrNull(o.Canary.MeanLatencies, o.Baseline.MeanLatencies);
        AddTest(figures, "latency", latencyTest);
        var baselineMedian = MannWhitney.Median(o.Baseline.MeanLatencies);
        var latencyEffect = latencyTest is not null && baselineMedian > 0 ? latencyTest.HodgesLehmannShift / baselineMedian : double.NaN;
        figures["latency.effectSize"] = latencyEffect;
        var latencyBreach = p99Ratio > config.MaxP99Ratio || (double.IsNaN(p99Ratio) && double.IsPositiveInfinity(o.Canary.P99));
        var latencySignificant = latencyTest is not null && latencyTest.PGreater < config.Alpha && latencyEffect >= config.MinEffectSize;

        var errorText = $"error rate {Pct(o.Canary.ErrorRate)} vs {Pct(o.Baseline.ErrorRate)} (+{Pct(errorIncrease)}, max +{Pct(config.MaxErrorRateIncrease)}; {TestText(errorTest, errorEffect, "r")})";
        var latencyText = $"p99 {Ms(o.Canary.P99)} vs {Ms(o.Baseline.P99)} (×{F(p99Ratio, "0.00")}, max ×{F(config.MaxP99Ratio, "0.00")}; {TestText(latencyTest, latencyEffect, "shift")})";

        if (errorBreach && errorSignificant) reasons.Add($"errors: {errorText}");
        if (latencyBreach && latencySignificant) reasons.Add($"latency: {latencyText}");
        if (reasons.Count > 0)
            return Judged(Records.Verdict.Fail, "canary is worse than stable: " + string.Join("; ", reasons));

        if (errorBreach) reasons.Add($"errors above threshold but not yet significant: {errorText}");
        if (latencyBreach) reasons.Add($"p99 above threshold but not yet significant: {latencyText}");
        if (double.IsNaN(p99Ratio) && !latencyBreach) reasons.Add("p99 could not be computed for one of the tracks");
        if (reasons.Count > 0)
            return Judged(Records.Verdict.Inconclusive, string.Join("; ", reasons));

        // A pass needs the whole window: a young step may fail fast, but it may not pass on a few seconds of traffic.
        if (o.WindowSeconds < config.WindowSeconds)
            return Judged(Records.Verdict.Inconclusive,
                $"no degradation so far, but only {o.WindowSeconds} s of the {config.WindowSeconds} s window have elapsed since the step began");

        if (errorSignificant) reasons.Add($"note: errors significantly higher but within threshold ({errorText})");
        if (latencySignificant) reasons.Add($"note: latency significantly higher but within threshold ({latencyText})");
        return Judged(Records.Verdict.Pass, $"canary matches stable: {errorText}; {latencyText}");
    }

    private static MannWhitneyResult? TestOrNull(IReadOnlyList<double> canary, IReadOnlyList<double> baseline) =>
        canary.Count >= MinIntervals && baseline.Count >= MinIntervals ? MannWhitney.Test(canary, baseline) : null;

    private static Dictionary<string, double> BaseFigures(CanaryObservation o, CanaryGateConfig c, int stepWeight) => new()
    {
        ["stepWeight"] = stepWeight,
        ["windowSeconds"] = o.WindowSeconds,
        ["canary.requests"] = o.Canary.Requests,
        ["canary.serverErrors"] = o.Canary.ServerErrors,
        ["canary.errorRate"] = o.Canary.ErrorRate,
        ["canary.p50Seconds"] = o.Canary.P50,
        ["canary.p99Seconds"] = o.Canary.P99,
        ["canary.intervals"] = o.Canary.MeanLatencies.Count,
        ["baseline.requests"] = o.Baseline.Requests,
        ["baseline.serverErrors"] = o.Baseline.ServerErrors,
        ["baseline.errorRate"] = o.Baseline.ErrorRate,
        ["baseline.p50Seconds"] = o.Baseline.P50,
        ["baseline.p99Seconds"] = o.Baseline.P99,
        ["baseline.intervals"] = o.Baseline.MeanLatencies.Count,
        ["threshold.maxErrorRateIncrease"] = c.MaxErrorRateIncrease,
        ["threshold.maxP99Ratio"] = c.MaxP99Ratio,
        ["threshold.minSamples"] = c.MinSamples,
        ["threshold.alpha"] = c.Alpha,
        ["threshold.minEffectSize"] = c.MinEffectSize,
        ["threshold.windowSeconds"] = c.WindowSeconds,
    };

    private static void AddTest(Dictionary<string, double> figures, string metric, MannWhitneyResult? t)
    {
        if (t is null) return;
        figures[$"{metric}.u"] = t.U;
        figures[$"{metric}.z"] = t.Z;
        figures[$"{metric}.pValue"] = t.PGreater;
        figures[$"{metric}.rankBiserial"] = t.RankBiserial;
        figures[$"{metric}.hodgesLehmannShift"] = t.HodgesLehmannShift;
    }

    private static string TestText(MannWhitneyResult? t, double effect, string effectName) =>
        t is null ? $"U test needs {MinIntervals}+ intervals per track"
        : $"U={F(t.U, "0.#")}, p={F(t.PGreater, "0.0000")}, {effectName}={F(effect, "0.00")}";

    private static string F(double v, string format) => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);
    private static string Pct(double v) => double.IsFinite(v) ? (v * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %" : "n/a";
    private static string Ms(double seconds) => double.IsFinite(seconds) ? (seconds * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms" : seconds.ToString(CultureInfo.InvariantCulture);
}
