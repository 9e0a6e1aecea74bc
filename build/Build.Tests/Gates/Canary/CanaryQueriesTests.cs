using Pipeline.Gates.Canary;

namespace Pipeline.Tests.Gates.Canary;

public class CanaryQueriesTests
{
    [Fact]
    public void Request_count_selects_track_and_excludes_infrastructure_routes() =>
        Assert.Equal(
            "sum(increase(http_requests_total{track=\"canary\",route!~\"/healthz.*|/metrics\"}[30s]))",
            CanaryQueries.RequestCount("canary", 30, CanaryScope.Any));

    [Fact]
    public void Server_error_count_defaults_to_zero_when_no_5xx_series_exists() =>
        Assert.Equal(
            "sum(increase(http_requests_total{track=\"stable\",route!~\"/healthz.*|/metrics\",status_class=\"5xx\"}[20s])) or vector(0)",
            CanaryQueries.ServerErrorCount("stable", 20, CanaryScope.Any));

    [Fact]
    public void P99_aggregates_buckets_across_instances_by_le() =>
        Assert.Equal(
            "histogram_quantile(0.99, sum by (le) (increase(http_request_duration_seconds_bucket{track=\"canary\",route!~\"/healthz.*|/metrics\"}[20s])))",
            CanaryQueries.LatencyQuantile("canary", 0.99, 20, CanaryScope.Any));

    [Fact]
    public void Mean_latency_series_divides_sum_by_count() =>
        Assert.Equal(
            "sum(rate(http_request_duration_seconds_sum{track=\"stable\",route!~\"/healthz.*|/metrics\"}[2s])) / sum(rate(http_request_duration_seconds_count{track=\"stable\",route!~\"/healthz.*|/metrics\"}[2s]))",
            CanaryQueries.MeanLatencySeries("stable", 2, CanaryScope.Any));

    [Fact]
    public void Scope_matchers_come_first() =>
        Assert.Equal(
            "{namespace=\"orders-prod\",app=\"orders\",track=\"canary\",route!~\"/healthz.*|/metrics\"}",
            CanaryQueries.Selector("canary", new CanaryScope("namespace=\"orders-prod\",app=\"orders\"")));

    [Fact]
    public void Job_scope() =>
        Assert.Equal("job=\"orders\"", CanaryScope.Job("orders").Matchers);
}
