using System.Net;
using System.Text;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Orders;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OrdersApiTests(PostgresServer server) : IAsyncLifetime
{
    TestDatabase _db = null!;
    TestApp _app = null!;
    HttpClient Client => _app.Client;

    public async Task InitializeAsync()
    {
        _db = await server.CreateDatabaseAsync();
        await _db.MigrateAsync(4);
        _app = await TestApp.StartAsync(_db);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Create_then_get_returns_the_order_with_money_as_two_decimal_places()
    {
        var created = await Client.PostJsonAsync("/orders", """{"customerId":"cust-1","total":12.5,"currency":"EUR"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await created.JsonAsync();
        var id = order.GetProperty("id").GetString();
        Assert.Equal($"/orders/{id}", created.Headers.Location?.OriginalString);
        Assert.Contains("\"total\":12.50", await created.Content.ReadAsStringAsync());
        Assert.Equal("pending", order.GetProperty("status").GetString());

        var fetched = await Client.GetAsync($"/orders/{id}");
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var json = await fetched.JsonAsync();
        Assert.Equal("cust-1", json.GetProperty("customerId").GetString());
        Assert.Equal(12.50m, json.GetProperty("total").GetDecimal());
        Assert.Equal("EUR", json.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task List_pages_with_a_keyset_cursor_without_gaps_or_duplicates()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add((await (await Client.PostJsonAsync("/orders", $$"""{"customerId":"page-{{i}}","total":1,"currency":"USD"}""")).JsonAsync()).GetProperty("id").GetString()!);

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await (await Client.GetAsync($"/orders?limit=2{(after is null ? "" : "&after=" + after)}")).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()!));
            after = page.TryGetProperty("nextAfter", out var next) ? next.GetString() : null;
            pages++;
        } while (after is not null && pages < 20);

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Superset(ids.ToHashSet(), seen.ToHashSet());
        Assert.True(pages >= 3);
        await (await Client.GetAsync("/orders?limit=101")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Client.GetAsync("/orders?after=not-an-id")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Status_follows_the_allowed_transitions()
    {
        var id = (await (await Client.PostJsonAsync("/orders", """{"customerId":"s","total":5,"currency":"EUR"}""")).JsonAsync()).GetProperty("id").GetString();

        var paid = await Client.PutAsync($"/orders/{id}/status", TestHttp.Json("""{"status":"paid"}"""));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("paid", (await paid.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync($"/orders/{id}/status", TestHttp.Json("""{"status":"paid"}"""))).StatusCode);

        await (await Client.PutAsync($"/orders/{id}/status", TestHttp.Json("""{"status":"pending"}"""))).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await Client.PutAsync($"/orders/{id}/status", TestHttp.Json("""{"status":"lost"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Client.PutAsync($"/orders/{Guid.NewGuid()}/status", TestHttp.Json("""{"status":"paid"}"""))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Same_idempotency_key_twice_creates_one_order_and_replays_the_first_response()
    {
        var key = "key-" + Guid.NewGuid();
        var first = await Client.PostJsonAsync("/orders", """{"customerId":"idem","total":42.00,"currency":"EUR"}""", key);
        // Same meaning, different bytes: a retry from another client library must still match.
        var second = await Client.PostJsonAsync("/orders", """{ "currency":"EUR", "total":42, "customerId":"idem" }""", key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal((await first.JsonAsync()).GetProperty("id").GetString(), (await second.JsonAsync()).GetProperty("id").GetString());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = 'idem'"));
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_create_exactly_one_order()
    {
        var key = "race-" + Guid.NewGuid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            Client.PostJsonAsync("/orders", """{"customerId":"race","total":1.23,"currency":"EUR"}""", key)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single((await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("id").GetString()))).Distinct());
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = 'race'"));
    }

    [Fact]
    public async Task Same_idempotency_key_with_a_different_body_is_422()
    {
        var key = "reuse-" + Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/orders", """{"customerId":"r","total":1,"currency":"EUR"}""", key)).StatusCode);
        var problem = await (await Client.PostJsonAsync("/orders", """{"customerId":"r","total":2,"currency":"EUR"}""", key))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Idempotency-Key reused", problem.GetProperty("title").GetString());
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = 'r'"));
    }

    [Theory]
    [InlineData("""{"customerId":"x","total":1,""", "Malformed request body")]
    [InlineData("""{"customerId":"x","total":"12.50","currency":"EUR"}""", "Malformed request body")]
    [InlineData("""{"customerId":42,"total":1,"currency":"EUR"}""", "Malformed request body")]
    [InlineData("""{"customerId":"x","total":1,"currency":"EUR","discount":5}""", "Malformed request body")]
    [InlineData("""[1,2]""", "Malformed request body")]
    [InlineData("""null""", "Malformed request body")]
    [InlineData("""{"customerId":"x","total":1e40,"currency":"EUR"}""", "Malformed request body")]
    [InlineData("""{"customerId":"x","total":-5,"currency":"EUR"}""", "Validation failed")]
    [InlineData("""{"customerId":"x","total":0,"currency":"EUR"}""", "Validation failed")]
    [InlineData("""{"customerId":"x","total":1.001,"currency":"EUR"}""", "Validation failed")]
    [InlineData("""{"customerId":"x","total":1000000000.01,"currency":"EUR"}""", "Validation failed")]
    [InlineData("""{"customerId":"x","total":1,"currency":"eur"}""", "Validation failed")]
    [InlineData("""{"total":1,"currency":"EUR"}""", "Validation failed")]
    [InlineData("""{"customerId":"x","currency":"EUR"}""", "Validation failed")]
    public async Task Bad_input_is_400_problem_json(string body, string title)
    {
        var response = await Client.PostJsonAsync("/orders", body);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal("1.3.0", response.Version());
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = 'x'"));
    }

    [Fact]
    public async Task Unknown_field_problem_names_the_field()
    {
        var problem = await (await Client.PostJsonAsync("/orders", """{"customerId":"x","total":1,"currency":"EUR","discount":5}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("discount", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Largest_allowed_amount_is_accepted()
    {
        var response = await Client.PostJsonAsync("/orders", """{"customerId":"big","total":1000000000.00,"currency":"EUR"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1000000000.00m, (await response.JsonAsync()).GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Oversized_body_is_413_problem_json_with_or_without_content_length()
    {
        var padding = new string(' ', 300 * 1024); // well past the limit: the 413 must still arrive intact
        var json = $$"""{"customerId":"x",{{padding}}"total":1,"currency":"EUR"}""";
        var withLength = await Client.PostJsonAsync("/orders", json);
        await withLength.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("1.3.0", withLength.Version());

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        await (await Client.SendAsync(chunked)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Non_json_content_type_is_415_problem_json()
    {
        var response = await Client.PostAsync("/orders", new StringContent("customerId=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Unknown_ids_and_routes_are_404_problem_json_with_the_version_header()
    {
        foreach (var path in new[] { $"/orders/{Guid.NewGuid()}", "/orders/not-a-guid", "/no-such-route" })
        {
            var response = await Client.GetAsync(path);
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("1.3.0", response.Version());
        }
    }

    [Fact]
    public async Task Every_response_carries_X_App_Version()
    {
        foreach (var path in new[] { "/healthz/live", "/healthz/ready", "/metrics", "/orders" })
            Assert.Equal("1.3.0", (await Client.GetAsync(path)).Version());
        Assert.Equal("1.3.0", (await Client.DeleteAsync("/orders")).Version()); // 405
        Assert.Equal("1.3.0", (await Client.PostJsonAsync("/orders", "{")).Version());
    }
}
