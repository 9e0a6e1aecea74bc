using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Configuration;
using Orders.Api.Orders;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Orders;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IdempotencyKeySweeperTests(PostgresServer server) : IAsyncLifetime
{
    TestDatabase _db = null!;
    TestApp _app = null!;
    HttpClient Client => _app.Client;
    IdempotencyKeySweeper Sweeper => _app.Services.GetRequiredService<IdempotencyKeySweeper>();

    public async Task InitializeAsync()
    {
        _db = await server.CreateDatabaseAsync();
        await _db.MigrateAsync(4);
        // Batches of 3 and a sweep interval of an hour: the test drives the sweeps itself.
        _app = await TestApp.StartAsync(_db, env: new Dictionary<string, string?>
        {
            [AppSettings.IdempotencySweepBatchVar] = "3",
            [AppSettings.IdempotencySweepSecondsVar] = "3600",
        });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    async Task<string> CreateAsync(string key)
    {
        var r = await Client.PostJsonAsync("/orders", """{"customerId":"sweep","total":3,"currency":"EUR"}""", key);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.JsonAsync()).GetProperty("id").GetString()!;
    }

    Task AgeAsync(string keyPrefix, int hours) =>
        _db.ExecuteAsync($"UPDATE idempotency_keys SET created_at = now() - interval '{hours} hours' WHERE key LIKE '{keyPrefix}%'");

    [Fact]
    public async Task Keys_older_than_the_retention_are_deleted_in_batches_and_recent_ones_kept()
    {
        for (var i = 0; i < 7; i++) await CreateAsync($"old-{i}");
        for (var i = 0; i < 2; i++) await CreateAsync($"recent-{i}");
        await AgeAsync("old-", 25);
        await AgeAsync("recent-", 23);

        var result = await Sweeper.SweepAsync(CancellationToken.None);

        Assert.Equal(new SweepResult(7, 3), result); // 3 + 3 + 1
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key LIKE 'old-%'"));
        Assert.Equal(2L, await _db.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key LIKE 'recent-%'"));
        // Only the keys go: the orders they protected stay.
        Assert.Equal(9L, await _db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = 'sweep'"));
        Assert.Equal(new SweepResult(0, 0), await Sweeper.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_retry_within_the_retention_replays_and_after_expiry_creates_a_new_order()
    {
        var first = await CreateAsync("retry-1");
        var replay = await Client.PostJsonAsync("/orders", """{"customerId":"sweep","total":3,"currency":"EUR"}""", "retry-1");
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first, (await replay.JsonAsync()).GetProperty("id").GetString());

        await AgeAsync("retry-", 25);
        await Sweeper.SweepAsync(CancellationToken.None);

        // Documented (docs/APP.md): after the retention the key is forgotten, as at Stripe.
        var late = await Client.PostJsonAsync("/orders", """{"customerId":"sweep","total":3,"currency":"EUR"}""", "retry-1");
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        Assert.False(late.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(first, (await late.JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_background_service_sweeps_on_its_own_at_startup()
    {
        await CreateAsync("boot-1");
        await AgeAsync("boot-", 30);
        await using var second = await TestApp.StartAsync(_db);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await _db.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = 'boot-1'") > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = 'boot-1'"));
    }

    [Theory]
    [InlineData(AppSettings.IdempotencyRetentionHoursVar, "0")]
    [InlineData(AppSettings.IdempotencySweepBatchVar, "0")]
    [InlineData(AppSettings.IdempotencySweepSecondsVar, "x")]
    public void Bad_sweep_settings_are_refused_with_the_variable_name(string variable, string value)
    {
        var e = Assert.Throws<ConfigurationException>(() => _db.Settings(new Dictionary<string, string?> { [variable] = value }));
        Assert.Contains(e.Errors, x => x.StartsWith(variable, StringComparison.Ordinal));
    }
}
