using System.Globalization;
using Pipeline.Config;
using Pipeline.Gates.Canary.Statistics;
using Pipeline.Metrics;
using Pipeline.Records;

namespace Pipeline.Gates.Canary;

/// <summary>
/// One look at the canary: exact counts of both tracks since the step began (raw counters at scrape resolution,
/// <see cref="CounterIncrease"/>), stable's histogram before the step, then the judgement
/// (<see cref="CanaryJudgement"/>). Evidence accumulates over the whole step: a sliding window forgot two injected
/// 500s and passed a 3 %-error canary. Never throws for metrics problems: Prometheus down, slow or rejecting a query
/// gives an Inconclusive verdict, because a gate that cannot see must not wave a release through.
/// </summary>
public static class CanaryAnalysis
{
    public static async Task<CanaryVerdict> AssessAsync(
        IMetricsSource metrics, CanaryGateConfig config, int stepWeight, CancellationToken cancellationToken,
        CanaryScope? scope = null, DateTimeOffset? at = null, DateTimeOffset? stepStartedAt = null)
    {
        var now = at ?? DateTimeOffset.UtcNow;
        scope ??= CanaryScope.Any;
        // Without a recorded start (a standalone PromoteGate on an old release.json) judge the last timeout's worth.
        var start = stepStartedAt ?? now.AddSeconds(-config.InconclusiveTimeoutSeconds);
        var elapsed = (now - start).TotalSeconds;
        var queries = Queries(config, scope);
        var scrapes = 4 * config.ScrapeIntervalSeconds;
        if (elapsed < scrapes)
            return new CanaryVerdict(Verdict.Inconclusive, stepWeight,
                $"the step began {elapsed:0.#} s ago: counts need at least 4 scrape intervals ({scrapes} s)", [],
                new Dictionary<string, double> { ["stepWeight"] = stepWeight, ["elapsedSeconds"] = elapsed }, now) { Queries = queries };
        try
        {
            var observation = await ObserveAsync(metrics, queries, config, start, now, cancellationToken);
            return CanaryJudgement.Assess(observation, config, stepWeight) with { Queries = queries };
        }
        catch (MetricsUnavailableException e)
        {
            return new CanaryVerdict(Verdict.Inconclusive, stepWeight, $"metrics unavailable, cannot judge: {e.Message}", [e.Message],
                new Dictionary<string, double> { ["stepWeight"] = stepWeight, ["elapsedSeconds"] = elapsed }, now) { Queries = queries };
        }
    }

    public static IReadOnlyDictionary<string, string> Queries(CanaryGateConfig config, CanaryScope scope)
    {
        var q = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var track in new[] { CanaryQueries.Canary, CanaryQueries.Stable })
        {
            q[$"{track}.requests"] = CanaryQueries.RequestCounters(track, scope);
            q[$"{track}.serverErrors"] = CanaryQueries.ServerErrorCounters(track, scope);
            q[$"{track}.buckets"] = CanaryQueries.BucketCounters(track, scope);
            if (CanaryQueries.ProxyCounters(scope.Proxy(track).Responses5xx) is { } r) q[$"{track}.proxyResponses5xx"] = r;
            if (CanaryQueries.ProxyCounters(scope.Proxy(track).Failures) is { } f) q[$"{track}.proxyFailures"] = f;
        }
        q["stable.baselineBuckets"] = CanaryQueries.BaselineBuckets(scope, config.BaselineSeconds);
        return q;
    }

    private static async Task<CanaryObservation> ObserveAsync(
        IMetricsSource metrics, IReadOnlyDictionary<string, string> queries, CanaryGateConfig config,
        DateTimeOffset start, DateTimeOffset at, CancellationToken ct)
    {
        var step = TimeSpan.FromSeconds(config.ScrapeIntervalSeconds);
        var tolerance = step / 2;
        async Task<IReadOnlyList<MetricSeries>> Range(string key) =>
            queries.TryGetValue(key, out var promql) ? await metrics.QueryRangeAsync(promql, start, at, step, ct) : [];

        async Task<TrackCounts> Track(string track)
        {
            var requests = Range($"{track}.requests");
            var errors = Range($"{track}.serverErrors");
            var buckets = Range($"{track}.buckets");
            var proxy5xx = Range($"{track}.proxyResponses5xx");
            var proxyFailures = Range($"{track}.proxyFailures");
            await Task.WhenAll(requests, errors, buckets, proxy5xx, proxyFailures);
            var histogram = new BucketHistogram(CounterIncrease.SumBy(buckets.Result, "le", start, tolerance)
                .Select(b => (PrometheusApi.ParseValue(b.Key), b.Value)));
            return new TrackCounts(CounterIncrease.Sum(requests.Result, start, tolerance), CounterIncrease.Sum(errors.Result, start, tolerance),
                CounterIncrease.Sum(proxy5xx.Result, start, tolerance, bornAtZero: false),
                CounterIncrease.Sum(proxyFailures.Result, start, tolerance, bornAtZero: false), histogram);
        }

        var canary = Track(CanaryQueries.Canary);
        var stable = Track(CanaryQueries.Stable);
        var baseline = metrics.QueryVectorAsync(queries["stable.baselineBuckets"], start, ct);
        await Task.WhenAll(canary, stable, baseline);
        var before = new BucketHistogram(baseline.Result
            .Where(s => s.Labels.ContainsKey("le") && double.IsFinite(s.Value))
            .Select(s => (PrometheusApi.ParseValue(s.Labels["le"]), s.Value)));
        return new CanaryObservation(canary.Result, stable.Result, before, at, (at - start).TotalSeconds);
    }
}
