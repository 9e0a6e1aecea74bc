using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Orders.Api.Configuration;

namespace Orders.Api.Metrics;

/// <summary>
/// Request counter and latency histogram on System.Diagnostics.Metrics, aggregated by a MeterListener into
/// Prometheus series (no Prometheus exporter package is available to us). Each app gets its own Meter
/// instance and its listener only subscribes to that instance, so several apps in one process (tests)
/// never see each other's requests.
/// </summary>
public sealed class RequestMetrics : IDisposable
{
    /// <summary>1 ms .. 10 s: covers a cached GET (~1 ms) to the worst request a drill with injected latency makes.</summary>
    public static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    readonly Meter _meter = new("Orders.Api");
    readonly Counter<long> _requests;
    readonly Histogram<double> _duration;
    readonly MeterListener _listener = new();
    readonly ConcurrentDictionary<SeriesKey, Series> _series = new();
    readonly string _version;

    public RequestMetrics(BuildInfo build)
    {
        _version = build.Version;
        _requests = _meter.CreateCounter<long>("http_requests_total", description: "HTTP requests handled");
        _duration = _meter.CreateHistogram<double>("http_request_duration_seconds", unit: "s", description: "HTTP request duration");
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => GetSeries(tags).AddCount(value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => GetSeries(tags).Observe(value));
        _listener.Start();
    }

    public void Record(string route, string method, int statusCode, double seconds)
    {
        var tags = new TagList
        {
            { "route", route },
            { "method", method },
            { "status_class", $"{statusCode / 100}xx" },
            { "version", _version },
        };
        _requests.Add(1, tags);
        _duration.Record(seconds, tags);
    }

    Series GetSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string route = "", method = "", status = "", version = "";
        foreach (var (key, value) in tags)
        {
            var text = value as string ?? "";
            switch (key)
            {
                case "route": route = text; break;
                case "method": method = text; break;
                case "status_class": status = text; break;
                case "version": version = text; break;
            }
        }
        return _series.GetOrAdd(new SeriesKey(route, method, status, version), static _ => new Series());
    }

    public void WriteTo(StringBuilder text)
    {
        var series = _series.OrderBy(s => s.Key.Route, StringComparer.Ordinal).ThenBy(s => s.Key.Method, StringComparer.Ordinal)
            .ThenBy(s => s.Key.StatusClass, StringComparer.Ordinal).ToList();

        text.Append("# HELP http_requests_total HTTP requests handled (health and metrics endpoints excluded).\n");
        text.Append("# TYPE http_requests_total counter\n");
        foreach (var (key, s) in series)
            text.Append("http_requests_total{").Append(key.Labels()).Append("} ").Append(s.Requests).Append('\n');

        text.Append("# HELP http_request_duration_seconds HTTP request duration in seconds (health and metrics endpoints excluded).\n");
        text.Append("# TYPE http_request_duration_seconds histogram\n");
        foreach (var (key, s) in series)
        {
            var labels = key.Labels();
            var (counts, sum, count) = s.Snapshot();
            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += counts[i];
                text.Append("http_request_duration_seconds_bucket{").Append(labels).Append(",le=\"")
                    .Append(Format(Buckets[i])).Append("\"} ").Append(cumulative).Append('\n');
            }
            text.Append("http_request_duration_seconds_bucket{").Append(labels).Append(",le=\"+Inf\"} ").Append(count).Append('\n');
            text.Append("http_request_duration_seconds_sum{").Append(labels).Append("} ").Append(Format(sum)).Append('\n');
            text.Append("http_request_duration_seconds_count{").Append(labels).Append("} ").Append(count).Append('\n');
        }
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
    }

    readonly record struct SeriesKey(string Route, string Method, string StatusClass, string Version)
    {
        public string Labels() =>
            $"route=\"{Escape(Route)}\",method=\"{Escape(Method)}\",status_class=\"{Escape(StatusClass)}\",version=\"{Escape(Version)}\"";
    }

    sealed class Series
    {
        readonly long[] _buckets = new long[Buckets.Length];
        long _requests, _count;
        double _sum;

        public long Requests => Interlocked.Read(ref _requests);

        public void AddCount(long value) => Interlocked.Add(ref _requests, value);

        public void Observe(double seconds)
        {
            var i = Array.BinarySearch(Buckets, seconds);
            if (i < 0) i = ~i; // first bucket whose upper bound is >= the value
            lock (this)
            {
                if (i < _buckets.Length) _buckets[i]++;
                _count++;
                _sum += seconds;
            }
        }

        public (long[] Counts, double Sum, long Count) Snapshot()
        {
            lock (this) return ((long[])_buckets.Clone(), _sum, _count);
        }
    }
}
