using System.Globalization;

namespace Pipeline.Gates.Canary;

/// <summary>
/// The PromQL the canary gate runs — the same strings against the single-host Prometheus and a cluster's.
/// The app exposes http_requests_total and http_request_duration_seconds{route,method,status_class,version};
/// Prometheus adds <c>track</c> (stable|canary) from file_sd labels (single-host) or a relabeled pod label
/// (Kubernetes). Selecting on track rather than version keeps the gate correct when a rollback redeploys an
/// older version as the canary.
/// </summary>
public static class CanaryQueries
{
    public const string Requests = "http_requests_total";
    public const string DurationBucket = "http_request_duration_seconds_bucket";
    public const string DurationSum = "http_request_duration_seconds_sum";
    public const string DurationCount = "http_request_duration_seconds_count";
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

    /// <summary>Requests the track served in the window (the sample count behind every other figure).</summary>
    public static string RequestCount(string track, int windowSeconds, CanaryScope scope) =>
        $"sum(increase({Requests}{Selector(track, scope)}[{windowSeconds}s]))";

    /// <summary>5xx responses in the window; <c>or vector(0)</c> because a healthy app never created a 5xx series.</summary>
    public static string ServerErrorCount(string track, int windowSeconds, CanaryScope scope) =>
        $"sum(increase({Requests}{Selector(track, scope, serverErrorsOnly: true)}[{windowSeconds}s])) or vector(0)";

    /// <summary>Latency quantile over the whole window, from the histogram buckets of all instances of the track.</summary>
    public static string LatencyQuantile(string track, double quantile, int windowSeconds, CanaryScope scope) =>
        $"histogram_quantile({Number(quantile)}, sum by (le) (increase({DurationBucket}{Selector(track, scope)}[{windowSeconds}s])))";

    /// <summary>
    /// Per-interval mean latency: the latency samples the U test compares. Mean rather than a per-interval p99,
    /// because a p99 of the ~10 requests a 5 % canary serves in 2 s is just the top bucket bound: all ties, no signal.
    /// The tail is still judged, over the whole window, by <see cref="LatencyQuantile"/> against maxP99Ratio.
    /// </summary>
    public static string MeanLatencySeries(string track, int stepSeconds, CanaryScope scope) =>
        $"sum(rate({DurationSum}{Selector(track, scope)}[{stepSeconds}s])) / sum(rate({DurationCount}{Selector(track, scope)}[{stepSeconds}s]))";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
