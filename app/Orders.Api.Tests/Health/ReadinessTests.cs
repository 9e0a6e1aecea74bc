using System.Net;
using Orders.Api.Configuration;
using Orders.Api.Health;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Health;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReadinessTests(PostgresServer server)
{
    [Fact]
    public async Task Readiness_is_red_during_the_warmup_delay_then_green()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        await using var app = await TestApp.StartAsync(db, env: new Dictionary<string, string?> { [AppSettings.WarmupDelayVar] = "2" });

        var early = await app.Client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Contains("warming up", (await early.JsonAsync()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz/live")).StatusCode);

        var ready = await app.WaitForReadyAsync(seconds: 5);
        Assert.Equal(4, (await ready.JsonAsync()).GetProperty("schema").GetInt32());
    }

    /// <summary>
    /// Green means warm: the write path ran once (rolled back: nothing stored) and several connections wait in the
    /// pool. Before, green came after one readiness query — one connection, and every write method still to compile.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Readiness_turns_green_only_warm_with_connections_pooled_and_nothing_stored(int release)
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(3, release);
        await using var app = await TestApp.StartAsync(db, release);
        await app.WaitForReadyAsync(seconds: 10);

        var pooled = await db.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{db.Name}' AND application_name LIKE 'orders-api % web'");
        Assert.True(pooled >= StartupWarmup.Connections, $"{pooled} connections open after readiness turned green");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM orders"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys"));
    }

    [Fact]
    public async Task Readiness_is_red_until_the_database_is_migrated_then_turns_green_without_restart()
    {
        var db = await server.CreateDatabaseAsync();
        await using var app = await TestApp.StartAsync(db);

        var red = await app.Client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, red.StatusCode);
        Assert.Contains("schema version 0 is outside the supported range [3..4]", (await red.JsonAsync()).GetProperty("reason").GetString());

        await db.MigrateAsync(3);
        await app.WaitForReadyAsync(seconds: 5);
    }

    [Fact]
    public async Task Liveness_stays_green_while_the_database_is_down_and_readiness_recovers_when_it_returns()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        await using var app = await TestApp.StartAsync(db);
        await app.WaitForReadyAsync();

        await server.StopAsync();
        try
        {
            var down = await app.WaitForReadyAsync(HttpStatusCode.ServiceUnavailable, seconds: 5);
            Assert.Contains("database unreachable", (await down.JsonAsync()).GetProperty("reason").GetString());
            Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz/live")).StatusCode);
            // A request that needs the database fails cleanly, not with a hang or an HTML page.
            var get = await app.Client.GetAsync($"/orders/{Guid.NewGuid()}");
            await get.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await server.StartAsync();
        }
        await app.WaitForReadyAsync(seconds: 10);
    }

    [Fact]
    public async Task Readiness_is_red_when_the_database_port_is_dead()
    {
        var db = await server.CreateDatabaseAsync();
        await using var app = await TestApp.StartAsync(db, env: new Dictionary<string, string?> { [AppSettings.DbPortVar] = PostgresServer.FreePort().ToString() });
        var red = await app.Client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, red.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz/live")).StatusCode);
    }
}
