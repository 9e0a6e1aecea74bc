using System.Globalization;
using System.Text.Json;

namespace Pipeline.Metrics;

/// <summary>
/// <see cref="IMetricsSource"/> over Prometheus's HTTP API (v1). Every failure — connection refused, timeout,
/// non-success status, <c>"status":"error"</c>, an unexpected result type — becomes a
/// <see cref="MetricsUnavailableException"/> naming the address and the query.
/// </summary>
public sealed class PrometheusMetricsSource : IMetricsSource, IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;

    public PrometheusMetricsSource(Uri baseAddress, TimeSpan? timeout = null)
    {
        BaseAddress = baseAddress;
        // A hung Prometheus must not hang the release: the gate polls, and each look is bounded.
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? DefaultTimeout };
    }

    public Uri BaseAddress { get; }

    public async Task<IReadOnlyList<MetricSample>> QueryVectorAsync(string promql, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var data = await GetDataAsync(PrometheusApi.QueryPath(promql, at), promql, cancellationToken);
        return PrometheusApi.ParseVector(data, promql);
    }

    public async Task<IReadOnlyList<MetricSeries>> QueryRangeAsync(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default)
    {
        var data = await GetDataAsync(PrometheusApi.QueryRangePath(promql, start, end, step), promql, cancellationToken);
        return PrometheusApi.ParseMatrix(data, promql);
    }

    private async Task<JsonElement> GetDataAsync(string pathAndQuery, string promql, CancellationToken cancellationToken)
    {
        string body;
        int status;
        try
        {
            using var response = await _http.GetAsync(pathAndQuery, cancellationToken);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MetricsUnavailableException($"Prometheus at {BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0.#} s (query: {promql})", e);
        }
        catch (HttpRequestException e)
        {
            throw new MetricsUnavailableException($"Prometheus at {BaseAddress} is unreachable: {e.Message} (query: {promql})", e);
        }
        return PrometheusApi.ParseEnvelope(body, status, BaseAddress, promql);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The wire format of Prometheus's HTTP API: request paths and response parsing (pure, unit-tested).</summary>
public static class PrometheusApi
{
    public static string QueryPath(string promql, DateTimeOffset at) =>
        $"/api/v1/query?query={Uri.EscapeDataString(promql)}&time={Unix(at)}";

    public static string QueryRangePath(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step) =>
        $"/api/v1/query_range?query={Uri.EscapeDataString(promql)}&start={Unix(start)}&end={Unix(end)}&step={step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}";

    public static string Unix(DateTimeOffset t) =>
        (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    public static JsonElement ParseEnvelope(string body, int httpStatus, Uri address, string promql)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(body).RootElement; }
        catch (JsonException)
        {
            throw new MetricsUnavailableException($"Prometheus at {address} answered HTTP {httpStatus} with a body that is not JSON (query: {promql}): {Head(body)}");
        }
        var status = root.TryGetProperty("status", out var s) ? s.GetString() : null;
        if (status != "success")
        {
            var type = root.TryGetProperty("errorType", out var t) ? t.GetString() : "unknown";
            var error = root.TryGetProperty("error", out var m) ? m.GetString() : Head(body);
            throw new MetricsUnavailableException($"Prometheus at {address} rejected the query (HTTP {httpStatus}, {type}: {error}): {promql}");
        }
        return root.GetProperty("data");
    }

    public static IReadOnlyList<MetricSample> ParseVector(JsonElement data, string promql)
    {
        var type = data.GetProperty("resultType").GetString();
        var result = data.GetProperty("result");
        return type switch
        {
            "vector" => result.EnumerateArray().Select(e => Sample(Labels(e), e.GetProperty("value"))).ToList(),
            "scalar" => [Sample(new Dictionary<string, string>(), result)],
            _ => throw new MetricsUnavailableException($"Expected an instant vector, got '{type}': {promql}"),
        };
    }

    public static IReadOnlyList<MetricSeries> ParseMatrix(JsonElement data, string promql)
    {
        var type = data.GetProperty("resultType").GetString();
        if (type != "matrix") throw new MetricsUnavailableException($"Expected a range vector (matrix), got '{type}': {promql}");
        return data.GetProperty("result").EnumerateArray()
            .Select(e => new MetricSeries(Labels(e), e.GetProperty("values").EnumerateArray().Select(Point).ToList()))
            .ToList();
    }

    private static MetricSample Sample(IReadOnlyDictionary<string, string> labels, JsonElement pair)
    {
        var p = Point(pair);
        return new MetricSample(labels, p.At, p.Value);
    }

    // [ <unix seconds as number>, "<value as string>" ]; values may be "NaN", "+Inf", "-Inf".
    private static MetricPoint Point(JsonElement pair) =>
        new(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(pair[0].GetDouble() * 1000)),
            ParseValue(pair[1].GetString() ?? "NaN"));

    public static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static IReadOnlyDictionary<string, string> Labels(JsonElement element) =>
        element.TryGetProperty("metric", out var m)
            ? m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>();

    private static string Head(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
