using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Api.Configuration;
using Orders.Api.Hosting;

namespace Orders.Api.Tests.Support;

/// <summary>
/// The real app (same composition as Program) in this process on a free 127.0.0.1 port. The release is
/// injected, so one test run covers all three releases of the compatibility matrix.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    readonly WebApplication _app;

    TestApp(WebApplication app, Uri address, BuildInfo build)
    {
        _app = app;
        Build = build;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }
    public BuildInfo Build { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<TestApp> StartAsync(AppSettings settings, int release = 3)
    {
        var build = BuildInfo.ForRelease(release);
        var app = AppHost.Build([], settings, build, new HostOverrides("http://127.0.0.1:0", LogLevel.Warning));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address), build);
    }

    public static Task<TestApp> StartAsync(TestDatabase db, int release = 3, IReadOnlyDictionary<string, string?>? env = null) =>
        StartAsync(db.Settings(env), release);

    public async Task<HttpResponseMessage> WaitForReadyAsync(HttpStatusCode expected = HttpStatusCode.OK, double seconds = 5) =>
        await TestHttp.WaitForStatusAsync(Client, "/healthz/ready", expected, TimeSpan.FromSeconds(seconds));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
