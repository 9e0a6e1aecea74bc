using System.Globalization;
using Pipeline.Config;
using Pipeline.Records;

namespace Pipeline.Gates.Canary;

/// <summary>
/// The decision rules, pure over an observation (unit-tested without Prometheus). Per metric, two questions:
/// is the canary worse by more than the configured threshold (maxErrorRateIncrease, maxP99Ratio), and is that
/// difference real rather than noise, with an effect of at least minEffectSize? Errors are tested on the window's
/// request counts (Fisher's exact test, effect Cohen's h: <see cref="TwoProportions"/>), latency on per-interval
/// means (Mann-Whitney U, effect Hodges-Lehmann shift / baseline median: <see cref="MannWhitney"/>).
/// Both yes: Fail. Threshold breached but not (yet) significant: Inconclusive, keep watching — one slow scrape
/// interval on a VM with CPU steal must not roll back a healthy release, and a real fault becomes significant
/// within a few more seconds; a breach never passes. Significant but within thresholds: Pass, with a note.
/// Too little traffic on either track is Inconclusive, never Pass.
/// </summary>
public static class CanaryJudgement
{
    /// <summary>Below this many intervals per track the latency U test is not attempted (its normal approximation would be meaningless).</summary>
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

        // Errors: absolute increase of the window's 5xx ratio, tested on the counts (every request is a Bernoulli
        // trial; 600 canary requests carry far more evidence than the 10 per-interval ratios a rank test would see).
        // Effect size: Cohen's h (defined at a stable error rate of 0, where a relative increase is not).
        var errorIncrease = o.Canary.ErrorRate - o.Baseline.ErrorRate;
        figures["errorRateIncrease"] = errorIncrease;
        var errorTest = ErrorTestOrNull(o);
        if (errorTest is not null)
        {
            figures["errors.z"] = errorTest.Z;
            figures["errors.pValue"] = errorTest.PGreater;
            figures["errors.cohensH"] = errorTest.CohensH;
        }
        var errorEffect = errorTest?.CohensH ?? double.NaN;
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
        // Practical floor: a freshly started canary's p99 of 9 ms against a warm stable's 5 ms is a ×1.9 "ratio"
        // nobody would roll back for (seen on this host); only an increase of at least minP99IncreaseMs counts.
        var p99IncreaseMs = (o.Canary.P99 - o.Baseline.P99) * 1000;
        figures["p99IncreaseMs"] = p99IncreaseMs;
        var latencyBreach = (p99Ratio > config.MaxP99Ratio && !(p99IncreaseMs < config.MinP99IncreaseMs))
            || (double.IsNaN(p99Ratio) && double.IsPositiveInfinity(o.Canary.P99));
        var latencySignificant = latencyTest is not null && latencyTest.PGreater < config.Alpha && latencyEffect >= config.MinEffectSize;

        var errorText = $"error rate {Pct(o.Canary.ErrorRate)} vs {Pct(o.Baseline.ErrorRate)} (+{Pct(errorIncrease)}, max +{Pct(config.MaxErrorRateIncrease)}; {ErrorTestText(errorTest)})";
        var latencyText = $"p99 {Ms(o.Canary.P99)} vs {Ms(o.Baseline.P99)} (×{F(p99Ratio, "0.00")}, max ×{F(config.MaxP99Ratio, "0.00")}; {TestText(latencyTest, latencyEffect, "shift")})";

        if (errorBreach && errorSignificant) reasons.Add($"errors: {errorText}");
        if (latencyBreach && latencySignificant) reasons.Add($"latency: {latencyText}");
        if (reasons.Count > 0)
            return Judged(Records.Verdict.Fail, "canary is worse than stable: " + string.Join("; ", reasons));

        if (errorBreach) reasons.Add($"errors above threshold but not yet significant (p < {F(config.Alpha, "0.###")} with h ≥ {F(config.MinEffectSize, "0.##")}): {errorText}");
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

    /// <summary>
    /// increase() extrapolates to the window's edges, so counts arrive as reals: round them, and keep errors
    /// within requests (the two are separate queries, each extrapolated on its own).
    /// </summary>
    private static TwoProportionResult? ErrorTestOrNull(CanaryObservation o)
    {
        long n1 = (long)Math.Round(o.Canary.Requests), n2 = (long)Math.Round(o.Baseline.Requests);
        if (n1 < 1 || n2 < 1) return null;
        long x1 = Math.Clamp((long)Math.Round(o.Canary.ServerErrors), 0, n1), x2 = Math.Clamp((long)Math.Round(o.Baseline.ServerErrors), 0, n2);
        return TwoProportions.Test(x1, n1, x2, n2);
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

    private static string ErrorTestText(TwoProportionResult? t) =>
        t is null ? "no requests to test"
        : $"{t.X1}/{t.N1} vs {t.X2}/{t.N2}, Fisher p={F(t.PGreater, t.PGreater < 1e-4 ? "0.0E0" : "0.0000")}, h={F(t.CohensH, "0.00")}";

    private static string TestText(MannWhitneyResult? t, double effect, string effectName) =>
        t is null ? $"U test needs {MinIntervals}+ intervals per track"
        : $"U={F(t.U, "0.#")}, p={F(t.PGreater, "0.0000")}, {effectName}={F(effect, "0.00")}";

    private static string F(double v, string format) => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);
    private static string Pct(double v) => double.IsFinite(v) ? (v * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %" : "n/a";
    private static string Ms(double seconds) => double.IsFinite(seconds) ? (seconds * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms" : seconds.ToString(CultureInfo.InvariantCulture);
}
