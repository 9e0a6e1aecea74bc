using Pipeline.Config;
using Pipeline.Metrics;
using Pipeline.Records;

namespace Pipeline.Gates.Canary;

/// <summary>
/// One look at the canary: read both tracks from a metrics source, then judge (<see cref="CanaryJudgement"/>).
/// Never throws for metrics problems: Prometheus down, slow or rejecting a query gives an Inconclusive verdict,
/// because a gate that cannot see must not wave a release through.
/// </summary>
public static class CanaryAnalysis
{
    public static async Task<CanaryVerdict> AssessAsync(
        IMetricsSource metrics, CanaryGateConfig config, int stepWeight, CancellationToken cancellationToken,
        CanaryScope? scope = null, DateTimeOffset? at = null, DateTimeOffset? stepStartedAt = null)
    {
        var now = at ?? DateTimeOffset.UtcNow;
        var window = WindowSeconds(config, now, stepStartedAt);
        var queries = Queries(config, window, scope ?? CanaryScope.Any);
        var step = config.SampleStepSeconds;
        if (window < 2 * step)
            return new CanaryVerdict(Verdict.Inconclusive, stepWeight,
                $"the step began {window} s ago: too early to read even two {step}-s intervals", [], new Dictionary<string, double> { ["stepWeight"] = stepWeight, ["windowSeconds"] = window }, now)
            { Queries = queries };
        try
        {
            var observation = await ObserveAsync(metrics, queries, now, window, step, cancellationToken);
            return CanaryJudgement.Assess(observation, config, stepWeight) with { Queries = queries };
        }
        catch (MetricsUnavailableException e)
        {
            return new CanaryVerdict(Verdict.Inconclusive, stepWeight, $"metrics unavailable, cannot judge: {e.Message}", [e.Message],
                new Dictionary<string, double> { ["stepWeight"] = stepWeight, ["windowSeconds"] = window }, now) { Queries = queries };
        }
    }

    /// <summary>The window ends now and never reaches back before the step's weight was applied (the old weight's traffic is not this step's evidence).</summary>
    public static int WindowSeconds(CanaryGateConfig config, DateTimeOffset at, DateTimeOffset? stepStartedAt)
    {
        if (stepStartedAt is not { } started) return config.WindowSeconds;
        var elapsed = (int)Math.Floor((at - started).TotalSeconds);
        return Math.Clamp(elapsed, 0, config.WindowSeconds);
    }

    public static IReadOnlyDictionary<string, string> Queries(CanaryGateConfig config, int window, CanaryScope scope)
    {
        var q = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var track in new[] { CanaryQueries.Canary, CanaryQueries.Stable })
        {
            q[$"{track}.requests"] = CanaryQueries.RequestCount(track, window, scope);
            q[$"{track}.serverErrors"] = CanaryQueries.ServerErrorCount(track, window, scope);
            q[$"{track}.p50"] = CanaryQueries.LatencyQuantile(track, 0.5, window, scope);
            q[$"{track}.p99"] = CanaryQueries.LatencyQuantile(track, 0.99, window, scope);
            q[$"{track}.meanLatencySeries"] = CanaryQueries.MeanLatencySeries(track, config.SampleStepSeconds, scope);
        }
        return q;
    }

    private static async Task<CanaryObservation> ObserveAsync(
        IMetricsSource metrics, IReadOnlyDictionary<string, string> queries, DateTimeOffset at, int window, int step, CancellationToken ct)
    {
        // The first interval starts one step into the window, so every rate[step] lies inside it.
        var start = at.AddSeconds(-window + step);
        var stepSpan = TimeSpan.FromSeconds(step);
        async Task<double> Scalar(string key) => Single(await metrics.QueryVectorAsync(queries[key], at, ct));
        async Task<IReadOnlyList<double>> Series(string key) => Values(await metrics.QueryRangeAsync(queries[key], start, at, stepSpan, ct));

        async Task<TrackObservation> Track(string track)
        {
            var requests = Scalar($"{track}.requests");
            var errors = Scalar($"{track}.serverErrors");
            var p50 = Scalar($"{track}.p50");
            var p99 = Scalar($"{track}.p99");
            var latencies = Series($"{track}.meanLatencySeries");
            await Task.WhenAll(requests, errors, p50, p99, latencies);
            return new TrackObservation(Zero(requests.Result), Zero(errors.Result), p50.Result, p99.Result, latencies.Result);
        }

        var canary = Track(CanaryQueries.Canary);
        var baseline = Track(CanaryQueries.Stable);
        await Task.WhenAll(canary, baseline);
        return new CanaryObservation(canary.Result, baseline.Result, at, window);
    }

    // An empty vector means "no such series in the window": for a count that is 0, for a quantile NaN.
    private static double Single(IReadOnlyList<MetricSample> samples) => samples.Count == 0 ? double.NaN : samples[0].Value;
    private static double Zero(double value) => double.IsNaN(value) ? 0 : value;

    // Intervals with no requests come back as NaN (0/0) or not at all: they are not evidence either way.
    private static IReadOnlyList<double> Values(IReadOnlyList<MetricSeries> series) =>
        series.SelectMany(s => s.Points).Select(p => p.Value).Where(double.IsFinite).ToList();
}
