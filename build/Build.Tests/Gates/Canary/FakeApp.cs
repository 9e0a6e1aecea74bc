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
    /// <summary>
    /// The app's fine buckets (prometheus-net, see docs/APP.md): 1 ms to about 10 s, each bound 25 % above the last,
    /// so a p99 read from them is within 25 % of the truth instead of a 100 → 250 ms interpolation artefact.
    /// </summary>
    public static readonly double[] Buckets = [.. Enumerable.Range(0, 42).Select(i => Math.Round(0.001 * Math.Pow(1.25, i), 6))];
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
            // The app pre-creates its 2xx and 5xx series at 0, so the first error is an increase Prometheus can see.
            Get("/orders/{id}", "2xx");
            Get("/orders/{id}", "5xx");
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
