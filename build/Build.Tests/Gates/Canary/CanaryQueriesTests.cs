using Pipeline.Config;
using Pipeline.Gates.Canary;

namespace Pipeline.Tests.Gates.Canary;

public class CanaryQueriesTests
{
    [Fact]
    public void Request_counters_are_raw_per_instance_and_exclude_infrastructure_routes() =>
        Assert.Equal(
            "sum by (instance) (http_requests_total{track=\"canary\",route!~\"/healthz.*|/metrics\"})",
            CanaryQueries.RequestCounters("canary", CanaryScope.Any));

    [Fact]
    public void Server_error_counters_select_the_5xx_class() =>
        Assert.Equal(
            "sum by (instance) (http_requests_total{track=\"stable\",route!~\"/healthz.*|/metrics\",status_class=\"5xx\"})",
            CanaryQueries.ServerErrorCounters("stable", CanaryScope.Any));

    [Fact]
    public void Bucket_counters_keep_instance_and_le() =>
        Assert.Equal(
            "sum by (instance, le) (http_request_duration_seconds_bucket{track=\"canary\",route!~\"/healthz.*|/metrics\"})",
            CanaryQueries.BucketCounters("canary", CanaryScope.Any));

    [Fact]
    public void Baseline_is_stable_before_the_step() =>
        Assert.Equal(
            "sum by (le) (increase(http_request_duration_seconds_bucket{track=\"stable\",route!~\"/healthz.*|/metrics\"}[60s]))",
            CanaryQueries.BaselineBuckets(CanaryScope.Any, 60));

    [Fact]
    public void Proxy_counters_only_when_configured()
    {
        Assert.Null(CanaryQueries.ProxyCounters(""));
        Assert.Equal("sum by (instance, server) (haproxy_server_connection_errors_total{server=~\"app1\"})",
            CanaryQueries.ProxyCounters("haproxy_server_connection_errors_total{server=~\"app1\"}"));
    }

    [Fact]
    public void Scope_matchers_come_first() =>
        Assert.Equal(
            "{namespace=\"orders-prod\",app=\"orders\",track=\"canary\",route!~\"/healthz.*|/metrics\"}",
            CanaryQueries.Selector("canary", new CanaryScope("namespace=\"orders-prod\",app=\"orders\"")));

    [Fact]
    public void Job_scope() =>
        Assert.Equal("job=\"orders\"", CanaryScope.Job("orders").Matchers);

    [Fact]
    public void Analysis_queries_include_proxy_selectors_of_each_track()
    {
        var scope = CanaryScope.Any with
        {
            ProxyErrors = new ProxyErrorsConfig { Canary = new ProxyTrackSelectors { Failures = "haproxy_server_connection_errors_total{server=\"app2\"}" } },
        };
        var q = CanaryAnalysis.Queries(new CanaryGateConfig(), scope);
        Assert.Equal("sum by (instance, server) (haproxy_server_connection_errors_total{server=\"app2\"})", q["canary.proxyFailures"]);
        Assert.False(q.ContainsKey("stable.proxyFailures"));
        Assert.False(q.ContainsKey("canary.proxyResponses5xx"));
    }
}
