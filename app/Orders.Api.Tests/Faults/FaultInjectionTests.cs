using System.Net;
using Orders.Api.Configuration;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Faults;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FaultInjectionTests(PostgresServer server)
{
    [Fact]
    public async Task Error_rate_1_fails_every_api_request_but_never_health_or_metrics()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        await using var app = await TestApp.StartAsync(db, env: new Dictionary<string, string?> { [AppSettings.FaultErrorRateVar] = "1" });

        var response = await app.Client.PostJsonAsync("/orders", """{"customerId":"f","total":1,"currency":"EUR"}""");
        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        Assert.Equal("Injected fault", problem.GetProperty("title").GetString());
        Assert.True(response.Headers.Contains("X-Fault-Injected"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM orders"));

        await app.WaitForReadyAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz/live")).StatusCode);
        var metrics = await app.Client.GetStringAsync("/metrics");
        Assert.Contains("http_requests_total{route=\"/orders\",method=\"POST\",status_class=\"5xx\",version=\"1.3.0\"} 1\n", metrics);
        Assert.Contains("app_fault_error_rate 1\n", metrics);
    }

    [Fact]
    public async Task Faults_start_after_the_configured_number_of_api_requests()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        await using var app = await TestApp.StartAsync(db, env: new Dictionary<string, string?>
        {
            [AppSettings.FaultErrorRateVar] = "1",
            [AppSettings.FaultAfterRequestsVar] = "3",
        });
        await app.WaitForReadyAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add((await app.Client.GetAsync("/orders?limit=1")).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError], statuses);
    }

    // The app that listens before it can serve (C1's candidate): 503 with readiness red for the cold start, then normal.
    [Fact]
    public async Task A_cold_start_answers_503_with_readiness_red_until_it_is_over()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        await using var app = await TestApp.StartAsync(db, env: new Dictionary<string, string?> { [AppSettings.FaultColdStartVar] = "3" });

        var cold = await app.Client.GetAsync("/orders?limit=1");
        var problem = await cold.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Starting", problem.GetProperty("title").GetString());
        Assert.Equal("1", cold.Headers.GetValues("Retry-After").Single());
        var ready = await app.Client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("cold start", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz/live")).StatusCode);

        await app.WaitForReadyAsync(seconds: 20);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/orders?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.Client.PostJsonAsync("/orders", """{"customerId":"c","total":1,"currency":"EUR"}""")).StatusCode);
    }

    [Fact]
    public async Task Faults_are_off_by_default()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        var settings = db.Settings();
        Assert.False(settings.FaultsEnabled);
        await using var app = await TestApp.StartAsync(settings);
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Created, (await app.Client.PostJsonAsync("/orders", """{"customerId":"ok","total":1,"currency":"EUR"}""")).StatusCode);
    }
}
