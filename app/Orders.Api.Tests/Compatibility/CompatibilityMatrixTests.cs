using System.Net;
using Orders.Api.Configuration;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Compatibility;

/// <summary>
/// Every release against every schema version: readiness is green exactly where the declared contract says,
/// and where it is green the app really works (so the contract is not just a number).
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CompatibilityMatrixTests(PostgresServer server)
{
    public static TheoryData<int, int, bool> Matrix()
    {
        var data = new TheoryData<int, int, bool>();
        bool[,] expected =
        {
            // schema:  1      2      3      4
            /* r1 */ { false, true,  true,  false },
            /* r2 */ { false, false, true,  false },
            /* r3 */ { false, false, true,  true  },
        };
        for (var release = 1; release <= 3; release++)
            for (var schema = 1; schema <= 4; schema++)
                data.Add(release, schema, expected[release - 1, schema - 1]);
        return data;
    }

    [Fact]
    public void The_declared_contracts_match_the_documented_matrix()
    {
        Assert.Equal(new SchemaRange(2, 3), SchemaContract.For(1));
        Assert.Equal(new SchemaRange(3, 3), SchemaContract.For(2));
        Assert.Equal(new SchemaRange(3, 4), SchemaContract.For(3));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Release_is_ready_exactly_on_the_schema_versions_it_supports(int release, int schema, bool ready)
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(schema);
        await using var app = await TestApp.StartAsync(db, release);

        // Green comes after the start-up warm-up (a fraction of a second); red for the schema comes at once.
        var response = ready ? await app.WaitForReadyAsync() : await app.Client.GetAsync("/healthz/ready");
        Assert.Equal(ready ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal($"1.{release}.0", response.Version());
        if (!ready) return;

        var created = await app.Client.PostJsonAsync("/orders", """{"customerId":"c-1","total":19.99,"currency":"EUR"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetString();
        var fetched = await (await app.Client.GetAsync($"/orders/{id}")).JsonAsync();
        Assert.Equal(19.99m, fetched.GetProperty("total").GetDecimal());
        Assert.Equal(1999L, await db.ScalarAsync<long>($"SELECT total_cents FROM orders WHERE id = '{id}'"));
        if (schema < 4)
        {
            // Releases 1 and 2 dual-write (rollback safety); release 3 leaves total NULL.
            var total = await db.ScalarAsync<object>($"SELECT total FROM orders WHERE id = '{id}'");
            Assert.Equal(release < 3 ? 19.99m : DBNull.Value, total);
        }
    }

    [Fact]
    public async Task Rolling_back_from_release_3_to_2_to_1_on_schema_3_keeps_every_order_readable()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(2);
        string r1Order, r3Order;
        await using (var r1 = await TestApp.StartAsync(db, release: 1))
            r1Order = (await (await r1.Client.PostJsonAsync("/orders", """{"customerId":"a","total":10.10,"currency":"EUR"}""")).JsonAsync()).GetProperty("id").GetString()!;
        await db.MigrateAsync(3);
        await using (var r3 = await TestApp.StartAsync(db, release: 3))
            r3Order = (await (await r3.Client.PostJsonAsync("/orders", """{"customerId":"b","total":30.30,"currency":"EUR"}""")).JsonAsync()).GetProperty("id").GetString()!;

        foreach (var release in new[] { 2, 1 })
        {
            await using var app = await TestApp.StartAsync(db, release);
            await app.WaitForReadyAsync();
            Assert.Equal(10.10m, (await (await app.Client.GetAsync($"/orders/{r1Order}")).JsonAsync()).GetProperty("total").GetDecimal());
            Assert.Equal(30.30m, (await (await app.Client.GetAsync($"/orders/{r3Order}")).JsonAsync()).GetProperty("total").GetDecimal());
        }
    }
}
