using System.Globalization;
using System.Text;

namespace Pipeline.Tests.Gates.Canary;

/// <summary>
/// What one app track looks like to Prometheus: the app's exact metric names, labels and buckets, with counters
/// that advance by a fixed number of requests per scrape (scrape interval 1 s ≈ that many requests per second).
/// Error rate and latency are switchable at run time to start a fault mid-test.
/// </summary>
public sealed class FakeApp(string version, int requestsPerScrape, int seed)
{
    // The app's buckets (app/Orders.Api/Metrics/RequestMetrics.cs).
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly Random _random = new(seed);
    private readonly SortedDictionary<(string Route, string Status), Series> _series = new();

    public double ErrorRate { get; set; }
    public double LatencyFactor { get; set; } = 1;
    public int RequestsPerScrape { get; set; } = requestsPerScrape;
    /// <summary>Failing readiness probes: must be ignored by the gate (infrastructure routes are excluded).</summary>
    public int ProbeErrorsPerScrape { get; set; }

    public string Scrape()
    {
        lock (_series)
        {
            for (var i = 0; i < RequestsPerScrape; i++)
            {
                var status = _random.NextDouble() < ErrorRate ? "5xx" : "2xx";
                // Log-normal around 8 ms: a realistic right-skewed latency.
                var seconds = 0.008 * LatencyFactor * Math.Exp(0.3 * Gaussian());
                Get("/orders/{id}", status).Observe(seconds);
            }
            for (var i = 0; i < ProbeErrorsPerScrape; i++) Get("/healthz/ready", "5xx").Observe(0.0005);
            if (_series.Count == 0) Get("/orders/{id}", "2xx"); // the app registers its series lazily; show one at zero
            return Render();
        }
    }

    private Series Get(string route, string status)
    {
        if (!_series.TryGetValue((route, status), out var s)) _series[(route, status)] = s = new Series();
        return s;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private string Render()
    {
        var text = new StringBuilder();
        text.Append("# TYPE http_requests_total counter\n");
        foreach (var ((route, status), s) in _series)
            text.Append($"http_requests_total{{{Labels(route, status)}}} {s.Count}\n");
        text.Append("# TYPE http_request_duration_seconds histogram\n");
        foreach (var ((route, status), s) in _series)
        {
            var labels = Labels(route, status);
            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += s.Buckets[i];
                text.Append($"http_request_duration_seconds_bucket{{{labels},le=\"{F(Buckets[i])}\"}} {cumulative}\n");
            }
            text.Append($"http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {s.Count}\n");
            text.Append($"http_request_duration_seconds_sum{{{labels}}} {F(s.Sum)}\n");
            text.Append($"http_request_duration_seconds_count{{{labels}}} {s.Count}\n");
        }
        return text.ToString();
    }

    private string Labels(string route, string status) =>
        $"route=\"{route}\",method=\"GET\",status_class=\"{status}\",version=\"{version}\"";

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Series
    {
        public readonly long[] Buckets = new long[FakeApp.Buckets.Length];
        public long Count;
        public double Sum;

        public void Observe(double seconds)
        {
            var i = Array.BinarySearch(FakeApp.Buckets, seconds);
            if (i < 0) i = ~i;
            if (i < Buckets.Length) Buckets[i]++;
            Count++;
            Sum += seconds;
        }
    }
}
