using System.Net;
using System.Net.Sockets;
using Pipeline.Config;
using Pipeline.Gates.Canary;
using Pipeline.Metrics;
using Pipeline.Records;

namespace Pipeline.Tests.Metrics;

public class PrometheusApiTests
{
    private static readonly Uri Address = new("http://127.0.0.1:9");

    [Fact]
    public void Query_path_escapes_promql_and_uses_unix_seconds() =>
        Assert.Equal(
            "/api/v1/query?query=sum%28up%7Bjob%3D%22x%22%7D%29&time=1700000000.5",
            PrometheusApi.QueryPath("sum(up{job=\"x\"})", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500)));

    [Fact]
    public void Query_range_path_has_start_end_step() =>
        Assert.Equal(
            "/api/v1/query_range?query=up&start=100&end=120&step=2",
            PrometheusApi.QueryRangePath("up", DateTimeOffset.FromUnixTimeSeconds(100), DateTimeOffset.FromUnixTimeSeconds(120), TimeSpan.FromSeconds(2)));

    [Fact]
    public void Parses_vector_with_labels_and_special_values()
    {
        var data = PrometheusApi.ParseEnvelope(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"track":"canary"},"value":[1700000000.25,"12.5"]},{"metric":{},"value":[1700000000,"NaN"]}]}}""",
            200, Address, "q");
        var samples = PrometheusApi.ParseVector(data, "q");
        Assert.Equal(2, samples.Count);
        Assert.Equal("canary", samples[0].Labels["track"]);
        Assert.Equal(12.5, samples[0].Value);
        Assert.Equal(1_700_000_000_250, samples[0].At.ToUnixTimeMilliseconds());
        Assert.True(double.IsNaN(samples[1].Value));
    }

    [Fact]
    public void Parses_matrix()
    {
        var data = PrometheusApi.ParseEnvelope(
            """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"le":"0.1"},"values":[[100,"1"],[102,"+Inf"]]}]}}""",
            200, Address, "q");
        var series = Assert.Single(PrometheusApi.ParseMatrix(data, "q"));
        Assert.Equal([1, double.PositiveInfinity], series.Points.Select(p => p.Value));
    }

    [Fact]
    public void Error_envelope_names_address_type_and_query()
    {
        var e = Assert.Throws<MetricsUnavailableException>(() => PrometheusApi.ParseEnvelope(
            """{"status":"error","errorType":"bad_data","error":"parse error at char 5"}""", 400, Address, "sum(("));
        Assert.Contains("127.0.0.1:9", e.Message);
        Assert.Contains("bad_data: parse error at char 5", e.Message);
        Assert.Contains("sum((", e.Message);
    }

    [Fact]
    public void Non_json_body_is_unavailable() =>
        Assert.Throws<MetricsUnavailableException>(() => PrometheusApi.ParseEnvelope("<html>502</html>", 502, Address, "q"));

    [Fact]
    public async Task Prometheus_down_is_inconclusive_not_pass()
    {
        // A real closed port: connection refused, as when Prometheus is not running.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var source = new PrometheusMetricsSource(new Uri($"http://127.0.0.1:{port}"));
        await Assert.ThrowsAsync<MetricsUnavailableException>(() => source.QueryVectorAsync("up", DateTimeOffset.UtcNow));

        var verdict = await CanaryAnalysis.AssessAsync(source, new CanaryGateConfig(), 5, CancellationToken.None);
        Assert.Equal(Verdict.Inconclusive, verdict.Verdict);
        Assert.Contains("metrics unavailable", verdict.Summary);
        Assert.Contains($"127.0.0.1:{port}", verdict.Summary);
    }

    [Fact]
    public async Task Hung_prometheus_times_out_with_a_clear_error()
    {
        // Accepts the connection, never answers.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var source = new PrometheusMetricsSource(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMilliseconds(300));
            var e = await Assert.ThrowsAsync<MetricsUnavailableException>(() => source.QueryVectorAsync("up", DateTimeOffset.UtcNow));
            Assert.Contains("did not answer within 0.3 s", e.Message);
        }
        finally { listener.Stop(); }
    }
}
