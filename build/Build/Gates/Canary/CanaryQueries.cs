using System.Globalization;

namespace Pipeline.Gates.Canary;

/// <summary>
/// The PromQL the canary gate runs — the same strings against the single-host Prometheus and a cluster's.
/// The app exposes http_requests_total and http_request_duration_seconds{route,method,status_class,version};
/// Prometheus adds <c>track</c> (stable|canary) from file_sd labels (single-host) or a relabeled pod label
/// (Kubernetes). Selecting on track rather than version keeps the gate correct when a rollback redeploys an
/// older version as the canary. Every counter is read raw, per instance, as a range over the step at scrape
/// resolution: the increases are computed exactly by <see cref="Metrics.CounterIncrease"/> (resets, instances
/// born mid-step), where increase() would extrapolate and drop a new series' first errors.
/// </summary>
public static class CanaryQueries
{
    public const string Requests = "http_requests_total";
    public const string DurationBucket = "http_request_duration_seconds_bucket";
    public const string TrackLabel = "track";
    public const string Stable = "stable";
    public const string Canary = "canary";
    public const string ServerErrors = "5xx";
    /// <summary>Probes and scrapes never count: a kubelet probing every second would dilute the error rate.</summary>
    public const string InfrastructureRoutes = "/healthz.*|/metrics";

    public static string Selector(string track, CanaryScope scope, bool serverErrorsOnly = false)
    {
        var scopePart = scope.Matchers.Length > 0 ? scope.Matchers + "," : "";
        var errorPart = serverErrorsOnly ? $",status_class=\"{ServerErrors}\"" : "";
        return $"{{{scopePart}{TrackLabel}=\"{track}\",route!~\"{InfrastructureRoutes}\"{errorPart}}}";
    }

    /// <summary>Requests served, one counter per instance (all series of an instance reset together on restart).</summary>
    public static string RequestCounters(string track, CanaryScope scope) =>
        $"sum by (instance) ({Requests}{Selector(track, scope)})";

    /// <summary>5xx responses, per instance (the app pre-creates the 5xx series, so the first error is a step from 0).</summary>
    public static string ServerErrorCounters(string track, CanaryScope scope) =>
        $"sum by (instance) ({Requests}{Selector(track, scope, serverErrorsOnly: true)})";

    /// <summary>Latency histogram buckets, per instance and bound.</summary>
    public static string BucketCounters(string track, CanaryScope scope) =>
        $"sum by (instance, le) ({DurationBucket}{Selector(track, scope)})";

    /// <summary>Stable's histogram over the <paramref name="seconds"/> before the step (evaluated at the step's start).</summary>
    public static string BaselineBuckets(CanaryScope scope, int seconds) =>
        $"sum by (le) (increase({DurationBucket}{Selector(Stable, scope)}[{seconds.ToString(CultureInfo.InvariantCulture)}s]))";

    /// <summary>A proxy error counter, per scraped instance and proxy server (null: not configured).</summary>
    public static string? ProxyCounters(string selector) =>
        string.IsNullOrWhiteSpace(selector) ? null : $"sum by (instance, server) ({selector})";
}
