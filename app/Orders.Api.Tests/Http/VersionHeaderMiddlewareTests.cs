using System.Net;
using Orders.Api.Configuration;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Http;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class VersionHeaderMiddlewareTests(PostgresServer server)
{
    [Fact]
    public async Task Every_response_names_the_version_and_the_instance_that_answered_errors_included()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        await using var app = await TestApp.StartAsync(db, env: new Dictionary<string, string?> { [AppSettings.InstanceIdVar] = "local-s7" });

        foreach (var (path, status) in new[] { ("/healthz/live", HttpStatusCode.OK), ($"/orders/{Guid.NewGuid()}", HttpStatusCode.NotFound),
                     ("/no-such-route", HttpStatusCode.NotFound), ("/metrics", HttpStatusCode.OK) })
        {
            var response = await app.Client.GetAsync(path);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("1.3.0", response.Version());
            Assert.Equal("local-s7", Assert.Single(response.Headers.GetValues("X-Instance")));
        }
    }
}
