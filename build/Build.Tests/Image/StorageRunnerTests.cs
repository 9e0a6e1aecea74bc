using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Image;

/// <summary>
/// The image tests reset their private podman storage with `podman system reset`. It must not reach anything of the
/// host's: a network deleted under a running environment left stale port rules behind, and the next release's
/// instances were unreachable ("No route to host").
/// </summary>
[Trait("Category", "Integration")]
public sealed class StorageRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storage-runner-").FullName;
    private readonly string _network = "orders-resetprobe-" + Guid.NewGuid().ToString("N")[..8];
    private readonly ToolRunner _host = new(TestCake.Create(), dryRun: false, ["/usr/sbin"]);

    [Fact]
    public void Resetting_the_private_storage_leaves_the_host_s_networks_alone()
    {
        _host.Run(Podman.Command("network", "create", "--disable-dns", _network));
        var storage = new StorageRunner(_host, Path.Combine(_dir, "storage"));

        storage.Reset();

        Assert.Equal(0, _host.Run(Podman.NetworkExists(_network), allowFailure: true).ExitCode);
        // The private side really is private: it never saw the host's network.
        Assert.NotEqual(0, storage.Run(Podman.NetworkExists(_network), allowFailure: true).ExitCode);
    }

    public void Dispose()
    {
        _host.Run(Podman.NetworkRemove(_network), allowFailure: true);
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
