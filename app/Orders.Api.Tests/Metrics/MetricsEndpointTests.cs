using System.Net;
using System.Text.RegularExpressions;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Metrics;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MetricsEndpointTests(PostgresServer server)
{
    [Fact]
    public async Task Metrics_expose_request_counters_and_histograms_by_route_template_with_the_version_label()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        await using var app = await TestApp.StartAsync(db);
        await app.WaitForReadyAsync();

        var id = (await (await app.Client.PostJsonAsync("/orders", """{"customerId":"m","total":3,"currency":"EUR"}""")).JsonAsync()).GetProperty("id").GetString();
        for (var i = 0; i < 3; i++) await app.Client.GetAsync($"/orders/{id}");
        await app.Client.GetAsync($"/orders/{Guid.NewGuid()}");
        await app.Client.GetAsync("/healthz/live");

        var response = await app.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("# TYPE http_requests_total counter", text);
        Assert.Contains("http_requests_total{route=\"/orders/{id}\",method=\"GET\",status_class=\"2xx\",version=\"1.3.0\"} 3\n", text);
        Assert.Contains("http_requests_total{route=\"/orders/{id}\",method=\"GET\",status_class=\"4xx\",version=\"1.3.0\"} 1\n", text);
        Assert.Contains("http_requests_total{route=\"/orders\",method=\"POST\",status_class=\"2xx\",version=\"1.3.0\"} 1\n", text);
        Assert.Contains("# TYPE http_request_duration_seconds histogram", text);
        Assert.Contains("http_request_duration_seconds_bucket{route=\"/orders/{id}\",method=\"GET\",status_class=\"2xx\",version=\"1.3.0\",le=\"+Inf\"} 3\n", text);
        Assert.Contains("http_request_duration_seconds_count{route=\"/orders/{id}\",method=\"GET\",status_class=\"2xx\",version=\"1.3.0\"} 3\n", text);
        Assert.Matches(new Regex("http_request_duration_seconds_sum\\{route=\"/orders/\\{id\\}\",method=\"GET\",status_class=\"2xx\",version=\"1.3.0\"\\} [0-9.eE-]+\n"), text);
        Assert.Contains("le=\"0.001\"", text);
        Assert.Contains("le=\"10\"", text);
        Assert.Contains("app_info{version=\"1.3.0\",schema_min=\"3\",schema_max=\"4\"} 1\n", text);
        Assert.Contains("app_ready 1\n", text);
        Assert.DoesNotContain("route=\"/healthz", text);
        Assert.DoesNotContain("route=\"/metrics", text);

        // Buckets are cumulative and end at the count.
        var buckets = Regex.Matches(text, "http_request_duration_seconds_bucket\\{route=\"/orders/\\{id\\}\",method=\"GET\",status_class=\"2xx\",[^}]*\\} (\\d+)")
            .Select(m => long.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(14, buckets.Count);
        Assert.Equal(buckets.Order(), buckets);
    }

    [Fact]
    public async Task App_ready_gauge_is_0_when_readiness_is_red()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(2); // release 3 needs schema >= 3
        await using var app = await TestApp.StartAsync(db);
        var text = await app.Client.GetStringAsync("/metrics");
        Assert.Contains("app_ready 0\n", text);
    }
}
