using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orders.Api.Configuration;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Shutdown;

/// <summary>SIGTERM against the real process: red at once, serve through the drain, refuse after, finish in-flight, exit 0.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GracefulShutdownTests(PostgresServer server)
{
    [Fact]
    public async Task Sigterm_turns_readiness_red_keeps_serving_during_drain_then_refuses_and_finishes_in_flight()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(4);
        var port = PostgresServer.FreePort();
        var env = db.Env(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            [AppSettings.DrainDelayVar] = "3",
            [AppSettings.ShutdownTimeoutVar] = "15",
            [AppSettings.FaultExtraLatencyVar] = "5000", // the "slow request"; health endpoints are never delayed
        });
        await using var child = ChildApp.Start(env);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await TestHttp.WaitForStatusAsync(client, "/healthz/ready", HttpStatusCode.OK, TimeSpan.FromSeconds(20));

        var slow = client.GetAsync("/orders?limit=1"); // in flight across SIGTERM
        await Task.Delay(300);
        var clock = Stopwatch.StartNew();
        child.Terminate();

        await TestHttp.WaitForStatusAsync(client, "/healthz/ready", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(1));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), "readiness must turn red at once");

        // During the drain delay a brand-new connection is still accepted and served.
        using (var fresh = new HttpClient { BaseAddress = client.BaseAddress })
        {
            var live = await fresh.GetAsync("/healthz/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), "the drain-window check ran too late to mean anything");

        // After the drain delay the listener is closed: new connections are refused.
        await Task.Delay(TimeSpan.FromSeconds(3.7) - clock.Elapsed);
        using (var socket = new TcpClient())
            await Assert.ThrowsAnyAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, port));

        var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1.3.0", response.Version());

        Assert.Equal(0, await child.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
        Assert.Contains("FAULT INJECTION ENABLED", child.Stdout);
        Assert.DoesNotContain(server.AppPassword, child.Stdout + child.Stderr);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM app_instances")); // deregistered on the way out
    }
}
