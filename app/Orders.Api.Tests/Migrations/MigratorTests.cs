using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orders.Api.Configuration;
using Orders.Api.Migrations;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Migrations;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MigratorTests(PostgresServer server)
{
    [Fact]
    public async Task Migrate_is_idempotent_and_records_each_version_once_with_its_phase()
    {
        var db = await server.CreateDatabaseAsync();
        var first = await db.MigrateAsync(4);
        Assert.Equal([1, 2, 3, 4], first.Applied);
        var second = await db.MigrateAsync(4);
        Assert.Empty(second.Applied);
        Assert.Equal(Migrator.ExitOk, second.ExitCode);

        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal("expand,expand,migrate,contract",
            await db.ScalarAsync<string>("SELECT string_agg(phase, ',' ORDER BY version) FROM schema_migrations"));
        Assert.False(await db.ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'total')"));
    }

    [Fact]
    public async Task Migrate_to_a_version_stops_there_and_a_lower_target_is_a_no_op()
    {
        var db = await server.CreateDatabaseAsync();
        Assert.Equal([1, 2], (await db.MigrateAsync(2)).Applied);
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
        var lower = await db.MigrateAsync(1);
        Assert.Empty(lower.Applied);
        Assert.Equal(Migrator.ExitOk, lower.ExitCode);
    }

    [Fact]
    public async Task Concurrent_migrate_runs_are_serialized_by_the_advisory_lock()
    {
        var db = await server.CreateDatabaseAsync();
        await using var holder = db.DataSource();
        await using var lockConnection = await holder.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLock.Key})", lockConnection))
            await take.ExecuteNonQueryAsync();

        var a = db.MigrateAsync(4);
        var b = db.MigrateAsync(4);
        await Task.Delay(700);
        Assert.False(a.IsCompleted || b.IsCompleted, "migrate must wait while another run holds the lock");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'orders'"));

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLock.Key})", lockConnection))
            await release.ExecuteNonQueryAsync();
        var results = await Task.WhenAll(a, b);

        Assert.All(results, r => Assert.Equal(Migrator.ExitOk, r.ExitCode));
        Assert.Equal([1, 2, 3, 4], results.SelectMany(r => r.Applied).Order());
        Assert.Contains(results, r => r.Applied.Count == 0);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Backfill_copies_total_into_total_cents_in_batches()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(2);
        // Rows from before the expand: total only.
        await db.ExecuteAsync("""
            INSERT INTO orders (id, customer_id, total, currency, status)
            SELECT gen_random_uuid(), 'c' || i, i + 0.99, 'EUR', 'pending' FROM generate_series(1, 23) i
            """);

        var result = await db.MigrateAsync(3, overrides: new Dictionary<string, string?> { [AppSettings.BackfillBatchSizeVar] = "5" });

        Assert.Equal([3], result.Applied);
        Assert.Equal(5, result.Stats["backfill_batches"]);
        Assert.Equal(23, result.Stats["backfill_rows"]);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE total_cents IS DISTINCT FROM (total * 100)::bigint"));
        // The validated check lets the contract set NOT NULL without a scan; it must reject new NULLs already.
        var ex = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(
            "INSERT INTO orders (id, customer_id, total, currency, status) VALUES (gen_random_uuid(), 'x', 1, 'EUR', 'pending')"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
    }

    [Fact]
    public async Task Contract_is_refused_while_a_release_2_instance_heartbeats_and_allowed_after_it_stops()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(3);
        var app = await TestApp.StartAsync(db, release: 2);
        try
        {
            await app.WaitForReadyAsync();
            await WaitForHeartbeatAsync(db);

            var refused = await db.MigrateAsync(4);
            Assert.Equal(Migrator.ExitRefused, refused.ExitCode);
            Assert.Empty(refused.Applied);
            Assert.Equal(3, await db.ScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
        }
        finally
        {
            await app.DisposeAsync(); // graceful stop deregisters the instance
        }
        Assert.Equal([4], (await db.MigrateAsync(4)).Applied);
    }

    [Fact]
    public async Task A_stale_heartbeat_does_not_block_the_contract_but_a_fresh_one_does()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(3);
        await db.ExecuteAsync("""
            INSERT INTO app_instances (instance_id, app_version, app_release, schema_min, schema_max, last_seen)
            VALUES ('crashed-r1', '1.1.0', 1, 2, 3, now() - interval '60 seconds')
            """);
        var overrides = new Dictionary<string, string?> { [AppSettings.InstanceStaleSecondsVar] = "30" };
        await using (var source = db.DataSource())
        {
            var status = await new Migrator(source, db.Settings(overrides), BuildInfo.ForRelease(3), NullLogger.Instance).StatusAsync(default);
            Assert.Empty(status.LiveInstances);
        }

        await db.ExecuteAsync("UPDATE app_instances SET last_seen = now() - interval '10 seconds'");
        Assert.Equal(Migrator.ExitRefused, (await db.MigrateAsync(4, overrides: overrides)).ExitCode);

        await db.ExecuteAsync("UPDATE app_instances SET last_seen = now() - interval '31 seconds'");
        Assert.Equal([4], (await db.MigrateAsync(4, overrides: overrides)).Applied);
    }

    static async Task WaitForHeartbeatAsync(TestDatabase db)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await db.ScalarAsync<long>("SELECT count(*) FROM app_instances WHERE schema_max = 3") > 0) return;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException("no heartbeat row appeared");
    }
}
