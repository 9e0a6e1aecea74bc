using Gates.Bench.LegacyGate;
using Pipeline.Config;
using Pipeline.Gates.Canary;
using Pipeline.Gates.Canary.Statistics;
using Pipeline.Records;

namespace Gates.Bench;

public enum Decision { Wait, Pass, Fail, Timeout }

/// <summary>A gate watching one step, looked at once per simulated second with everything the step served so far.</summary>
public interface IGate
{
    string Name { get; }
    Decision Look(IReadOnlyList<(Second Canary, Second Stable)> step);
}

static class Hist
{
    public static BucketHistogram Of(double[] bounds, IEnumerable<int[]> perSecond)
    {
        var sum = new long[bounds.Length + 1];
        foreach (var h in perSecond) for (var i = 0; i < sum.Length; i++) sum[i] += h[i];
        long cumulative = 0;
        var list = new List<(double, double)>(sum.Length);
        for (var i = 0; i < sum.Length; i++) { cumulative += sum[i]; list.Add((i < bounds.Length ? bounds[i] : double.PositiveInfinity, cumulative)); }
        return new BucketHistogram(list);
    }
}

/// <summary>(a) The new gate: CanaryJudgement itself on the step's exact cumulative counts, local.yaml's settings.</summary>
public sealed class AnytimeGate(CanaryGateConfig config, BucketHistogram baseline) : IGate
{
    public string Name => "anytime-valid (new)";
    /// <summary>The last look's summary (--explain prints it for healthy releases that timed out).</summary>
    public string LastSummary { get; private set; } = "";

    public Decision Look(IReadOnlyList<(Second Canary, Second Stable)> step)
    {
        if (step.Count < 4 * config.ScrapeIntervalSeconds) return Decision.Wait;
        TrackCounts Track(Func<(Second, Second), Second> pick) => new(
            step.Sum(x => pick(x).Requests), step.Sum(x => pick(x).Errors), 0, 0, Hist.Of(Buckets.Fine, step.Select(x => pick(x).Fine)));
        var o = new CanaryObservation(Track(x => x.Item1), Track(x => x.Item2), baseline, DateTimeOffset.UnixEpoch, step.Count);
        var verdict = CanaryJudgement.Assess(o, config, 10);
        LastSummary = verdict.Summary;
        var v = verdict.Verdict;
        if (v == Verdict.Fail) return Decision.Fail;
        if (v == Verdict.Pass) return Decision.Pass;
        return step.Count >= config.InconclusiveTimeoutSeconds ? Decision.Timeout : Decision.Wait;
    }

    public static CanaryGateConfig LocalConfig(double firstWeight = 0.10) => new()
    {
        FalseRollbackBudget = 0.05, ErrorBudgetShare = 0.5, MaxErrorRatio = 2, MaxErrorRateIncrease = 0.01, LatencyQuantiles = [0.5, 0.99, 0.999],
        MaxSlowRatio = 1.5, MaxSlowIncrease = 0.02, MinLatencyIncreaseMs = 20, PassRisk = 0.2, MinSamples = 150,
        MinSeconds = 8, ScrapeIntervalSeconds = 1, BaselineSeconds = 60, JudgedSteps = 3,
        InconclusiveTimeoutSeconds = (int)Math.Round(45 * Math.Max(1, 0.10 / firstWeight)),
    };
}

/// <summary>
/// (b) Today's gate before issue 9 (local.yaml's old settings): a 15-s sliding window looked at every 2 s; Fisher's exact
/// test + Cohen's h ≥ 0.2 on the window's error counts over +1 point; Mann-Whitney U on 2-s mean latencies + effect ≥ 0.2
/// with the p99 (coarse buckets, interpolated) over ×1.5 and +20 ms; Pass once the window is full and nothing is breached;
/// Inconclusive for 30 s after the window filled → rollback.
/// </summary>
public sealed class FixedWindowGate : IGate
{
    private const int Window = 15, Step = 2, MinSamples = 50, Timeout = 30;
    private const double Alpha = 0.05, MinEffect = 0.2, MaxIncrease = 0.01, MaxP99Ratio = 1.5, MinP99IncreaseMs = 20;
    public string Name => "fixed-window Fisher + U (today)";

    public Decision Look(IReadOnlyList<(Second Canary, Second Stable)> step)
    {
        var t = step.Count;
        if (t % Step != 0) return Decision.Wait;
        if (t >= Window + Timeout) return Decision.Timeout;
        if (t < 2 * Step) return Decision.Wait;
        var w = step.Skip(Math.Max(0, t - Window)).ToList();
        long nc = w.Sum(x => x.Canary.Requests), ns = w.Sum(x => x.Stable.Requests);
        long ec = w.Sum(x => x.Canary.Errors), es = w.Sum(x => x.Stable.Errors);
        if (nc < MinSamples || ns < MinSamples) return Decision.Wait;
        var errors = TwoProportions.Test(ec, nc, es, ns);
        var errorBreach = (double)ec / nc - (double)es / ns > MaxIncrease;
        var errorSignificant = errors.PGreater < Alpha && errors.CohensH >= MinEffect;

        var p99c = Hist.Of(Buckets.Coarse, w.Select(x => x.Canary.Coarse)).Quantile(0.99);
        var p99s = Hist.Of(Buckets.Coarse, w.Select(x => x.Stable.Coarse)).Quantile(0.99);
        var latencyBreach = p99s > 0 && p99c / p99s > MaxP99Ratio && (p99c - p99s) * 1000 >= MinP99IncreaseMs;
        var mc = Means(w, x => x.Canary);
        var ms = Means(w, x => x.Stable);
        var latencySignificant = false;
        if (mc.Count >= 5 && ms.Count >= 5)
        {
            var u = MannWhitney.Test(mc, ms);
            var median = MannWhitney.Median(ms);
            latencySignificant = u.PGreater < Alpha && median > 0 && u.HodgesLehmannShift / median >= MinEffect;
        }
        if ((errorBreach && errorSignificant) || (latencyBreach && latencySignificant)) return Decision.Fail;
        if (errorBreach || latencyBreach || double.IsNaN(p99c) || double.IsNaN(p99s)) return Decision.Wait;
        return t >= Window ? Decision.Pass : Decision.Wait;
    }

    // Mean latency per 2-s interval (rate(sum[2s]) / rate(count[2s])); empty intervals dropped.
    private static List<double> Means(List<(Second Canary, Second Stable)> w, Func<(Second Canary, Second Stable), Second> pick)
    {
        var list = new List<double>();
        for (var i = 0; i + Step <= w.Count; i += Step)
        {
            var n = 0; var sum = 0.0;
            for (var j = i; j < i + Step; j++) { n += pick(w[j]).Requests; sum += pick(w[j]).LatencySum; }
            if (n > 0) list.Add(sum / n);
        }
        return list;
    }
}

/// <summary>
/// (c) A threshold rule as Flagger and Argo Rollouts do it: every 5-s interval, the canary's error rate above 1 % or its
/// p99 above 40 ms (≈ 2× this app's healthy p99) is a failed check; 2 failed checks in a row roll back; 3 passed checks promote.
/// </summary>
public sealed class ThresholdGate : IGate
{
    private const int Interval = 5, FailedInARow = 2, ChecksToPass = 3;
    private const double MaxErrorRate = 0.01, MaxP99Seconds = 0.040;
    private int _inARow, _passed, _lastChecked;
    public string Name => "threshold (Flagger/Argo style)";

    public Decision Look(IReadOnlyList<(Second Canary, Second Stable)> step)
    {
        var t = step.Count;
        if (t == 1) { _inARow = 0; _passed = 0; _lastChecked = 0; }
        if (t % Interval != 0 || t == _lastChecked) return Decision.Wait;
        _lastChecked = t;
        var w = step.Skip(t - Interval).ToList();
        long n = w.Sum(x => x.Canary.Requests), e = w.Sum(x => x.Canary.Errors);
        var p99 = Hist.Of(Buckets.Fine, w.Select(x => x.Canary.Fine)).Quantile(0.99);
        var bad = n > 0 && ((double)e / n > MaxErrorRate || p99 > MaxP99Seconds);
        if (bad) { if (++_inARow >= FailedInARow) return Decision.Fail; }
        else { _inARow = 0; if (++_passed >= ChecksToPass) return Decision.Pass; }
        return Decision.Wait;
    }
}
