using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Orders.Api.Metrics;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Metrics;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MetricsEndpointTests(PostgresServer server)
{
    const string Get2xx = "route=\"/orders/{id}\",method=\"GET\",status_class=\"2xx\",version=\"1.3.0\"";

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
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("# TYPE http_requests_total counter", text);
        Assert.Contains($"http_requests_total{{{Get2xx}}} 3\n", text);
        Assert.Contains("http_requests_total{route=\"/orders/{id}\",method=\"GET\",status_class=\"4xx\",version=\"1.3.0\"} 1\n", text);
        Assert.Contains("http_requests_total{route=\"/orders\",method=\"POST\",status_class=\"2xx\",version=\"1.3.0\"} 1\n", text);
        Assert.Contains("# TYPE http_request_duration_seconds histogram", text);
        Assert.Contains($"http_request_duration_seconds_bucket{{{Get2xx},le=\"+Inf\"}} 3\n", text);
        Assert.Contains($"http_request_duration_seconds_count{{{Get2xx}}} 3\n", text);
        Assert.Matches(new Regex($"http_request_duration_seconds_sum\\{{{Regex.Escape(Get2xx)}\\}} [0-9.eE-]+\n"), text);
        Assert.Contains("app_info{version=\"1.3.0\",schema_min=\"3\",schema_max=\"4\"} 1\n", text);
        Assert.Contains("app_ready 1\n", text);
        Assert.Contains("app_draining 0\n", text);
        Assert.Contains("app_fault_error_rate 0\n", text);
        Assert.Contains("process_cpu_seconds_total ", text);
        Assert.DoesNotContain("route=\"/healthz", text);
        Assert.DoesNotContain("route=\"/metrics", text);

        // Exactly the documented bounds, in order, cumulative, ending at the count.
        var buckets = Regex.Matches(text, $"http_request_duration_seconds_bucket\\{{{Regex.Escape(Get2xx)},le=\"([^\"]+)\"\\}} (\\d+)\n");
        Assert.Equal([.. LatencyBuckets.Bounds.Select(b => b.ToString("R", CultureInfo.InvariantCulture)), "+Inf"],
            buckets.Select(m => m.Groups[1].Value));
        var counts = buckets.Select(m => long.Parse(m.Groups[2].Value)).ToList();
        Assert.Equal(counts.Order(), counts);
        Assert.Equal(3, counts[^1]);
    }

    [Fact]
    public async Task Every_served_route_has_zero_valued_2xx_4xx_5xx_series_before_its_first_request()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        await using var app = await TestApp.StartAsync(db);

        var text = await app.Client.GetStringAsync("/metrics");

        string[] served = ["route=\"/orders\",method=\"GET\"", "route=\"/orders\",method=\"POST\"",
            "route=\"/orders/{id}\",method=\"GET\"", "route=\"/orders/{id}/status\",method=\"PUT\""];
        foreach (var routeMethod in served)
        foreach (var statusClass in new[] { "2xx", "4xx", "5xx" })
        {
            var labels = $"{routeMethod},status_class=\"{statusClass}\",version=\"1.3.0\"";
            Assert.Contains($"http_requests_total{{{labels}}} 0\n", text);
            Assert.Contains($"http_request_duration_seconds_count{{{labels}}} 0\n", text);
            Assert.Contains($"http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} 0\n", text);
        }
        // Nothing else: only routes the app serves, never probes or the scrape itself.
        Assert.Equal(served.Length * 3, Regex.Matches(text, "^http_requests_total\\{", RegexOptions.Multiline).Count);
    }

    [Fact]
    public async Task Metrics_answer_at_once_and_readiness_within_its_timeout_while_the_database_hangs()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        await using var app = await TestApp.StartAsync(db);
        await app.WaitForReadyAsync();
        await app.Client.GetStringAsync("/metrics"); // first scrape pays for JIT, not for the database

        await server.PauseAsync();
        try
        {
            // Past the 1 s readiness cache: a scrape that consulted the database would now wait for it (2 s timeout).
            await Task.Delay(1200);
            for (var i = 0; i < 3; i++)
            {
                var clock = Stopwatch.StartNew();
                var response = await app.Client.GetAsync("/metrics");
                clock.Stop();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("# TYPE http_requests_total counter", await response.Content.ReadAsStringAsync());
                // The wrong outcome waits out the readiness check's 2 s timeout; the bound sits well below that and far
                // above a scrape's cost, because a loaded 2-core host stretched one answer to 679 ms (two test runs at once).
                Assert.True(clock.ElapsedMilliseconds < 1500, $"/metrics took {clock.ElapsedMilliseconds} ms while the database hung");
            }

            // The database really is hanging: readiness has to wait for its 2 s check timeout (not longer: Npgsql's
            // own cancellation against a paused server took 33 s) and turns red.
            var probe = Stopwatch.StartNew();
            var ready = await app.Client.GetAsync("/healthz/ready");
            probe.Stop();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("database unreachable", (await ready.JsonAsync()).GetProperty("reason").GetString());
            Assert.InRange(probe.ElapsedMilliseconds, 1000, 4000);
            Assert.Contains("app_ready 0\n", await app.Client.GetStringAsync("/metrics"));
        }
        finally
        {
            await server.ResumeAsync();
        }
        await app.WaitForReadyAsync(seconds: 15);
    }

    [Fact]
    public async Task App_ready_follows_readiness_from_scrapes_alone()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(2); // release 3 needs schema >= 3
        await using var app = await TestApp.StartAsync(db);
        Assert.Contains("app_ready 0\n", await app.Client.GetStringAsync("/metrics"));

        await db.MigrateAsync(3);
        // Nobody calls /healthz/ready here: each scrape refreshes the verdict in the background for the next one.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string text;
        do
        {
            await Task.Delay(200);
            text = await app.Client.GetStringAsync("/metrics");
        } while (!text.Contains("app_ready 1\n") && DateTime.UtcNow < deadline);
        Assert.Contains("app_ready 1\n", text);
    }
}
