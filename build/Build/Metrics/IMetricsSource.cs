namespace Pipeline.Metrics;

/// <summary>
/// Where gates read metrics from. One interface for every target: the single-host Prometheus and a
/// cluster's Prometheus answer the same PromQL, so the gate's queries and statistics are written once.
/// </summary>
public interface IMetricsSource
{
    /// <summary>An instant query (<c>GET /api/v1/query</c>) evaluated at <paramref name="at"/>.</summary>
    Task<IReadOnlyList<MetricSample>> QueryVectorAsync(string promql, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>A range query (<c>GET /api/v1/query_range</c>): one series per label set, one point per step.</summary>
    Task<IReadOnlyList<MetricSeries>> QueryRangeAsync(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default);
}

/// <summary>One element of an instant vector (or a scalar, with no labels).</summary>
public sealed record MetricSample(IReadOnlyDictionary<string, string> Labels, DateTimeOffset At, double Value);

/// <summary>One series of a range query.</summary>
public sealed record MetricSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<MetricPoint> Points);

public readonly record struct MetricPoint(DateTimeOffset At, double Value);
