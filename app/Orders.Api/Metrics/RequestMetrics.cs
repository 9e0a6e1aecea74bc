using Orders.Api.Configuration;
using Prometheus;

namespace Orders.Api.Metrics;

/// <summary>
/// The request counter and latency histogram the canary gate reads, on prometheus-net. Names and labels are a
/// contract with the gate's PromQL (build/Build/Gates/Canary/CanaryQueries.cs):
/// <c>http_requests_total</c> and <c>http_request_duration_seconds{route,method,status_class,version}</c>.
/// Each app owns its <see cref="CollectorRegistry"/> (not prometheus-net's static default registry), so several
/// apps in one process (tests) never see each other's requests.
/// </summary>
public sealed class RequestMetrics
{
    public static readonly string[] LabelNames = ["route", "method", "status_class", "version"];

    /// <summary>Status classes created at startup for every served route, so none appears for the first time later.</summary>
    public static readonly string[] PrecreatedStatusClasses = ["2xx", "4xx", "5xx"];

    readonly Counter _requests;
    readonly Histogram _duration;
    readonly string _version;

    public RequestMetrics(CollectorRegistry registry, BuildInfo build)
    {
        _version = build.Version;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _requests = factory.CreateCounter("http_requests_total",
            "HTTP requests handled (health and metrics endpoints excluded).",
            new CounterConfiguration { LabelNames = LabelNames });
        _duration = factory.CreateHistogram("http_request_duration_seconds",
            "HTTP request duration in seconds (health and metrics endpoints excluded).",
            new HistogramConfiguration { LabelNames = LabelNames, Buckets = LatencyBuckets.Bounds });
    }

    public void Record(string route, string method, int statusCode, double seconds)
    {
        var labels = Labels(route, method, StatusClass(statusCode));
        _requests.WithLabels(labels).Inc();
        _duration.WithLabels(labels).Observe(seconds);
    }

    /// <summary>
    /// Publishes the zero-valued series of a route before it serves anything. WHY: <c>increase()</c> needs two
    /// samples of a series; a 5xx series born with its first error has no earlier sample, so Prometheus counts
    /// that error as 0 and the gate misses exactly the errors of a fresh canary instance.
    /// </summary>
    public void Precreate(string route, string method)
    {
        foreach (var statusClass in PrecreatedStatusClasses)
        {
            var labels = Labels(route, method, statusClass);
            _requests.WithLabels(labels);
            _duration.WithLabels(labels);
        }
    }

    public static string StatusClass(int statusCode) => $"{statusCode / 100}xx";

    string[] Labels(string route, string method, string statusClass) => [route, method, statusClass, _version];
}
