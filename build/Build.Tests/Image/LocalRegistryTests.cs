using Pipeline.Image;

namespace Pipeline.Tests.Image;

public class LocalRegistryTests
{
    [Fact]
    public void Config_binds_loopback_and_stores_in_the_state_dir()
    {
        var yaml = LocalRegistry.RenderConfig("/state/local/registry/data", 5123);
        Assert.Contains("addr: 127.0.0.1:5123", yaml);
        Assert.Contains("rootdirectory: /state/local/registry/data", yaml);
        Assert.DoesNotContain("0.0.0.0", yaml);
    }

    [Theory]
    [InlineData("localhost:5000/orders-api@sha256:00", true)]
    [InlineData("127.0.0.1:5000/orders-api:x", true)]
    [InlineData("ghcr.io/acme/orders-api@sha256:00", false)]
    [InlineData("localhost.example.com:5000/x", false)]
    public void Only_loopback_registries_skip_tls(string reference, bool loopback) =>
        Assert.Equal(loopback, LocalRegistry.IsLoopback(reference));
}

/// <summary>--image naming a digest the environment's registry does not hold is refused before any task runs.</summary>
[Trait("Category", "Integration")]
public sealed class LocalRegistryPresenceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("registry-presence-").FullName;
    private readonly IsolatedImageEnvironment _env;
    private readonly BuildContext _context;

    public LocalRegistryPresenceTests()
    {
        _env = new IsolatedImageEnvironment(_root);
        _context = _env.CreateContext("presence");
        LocalRegistry.Ensure(_context);
    }

    private string Missing => $"localhost:{_env.RegistryPort}/orders-api@sha256:{new string('b', 64)}";

    [Fact]
    public void A_digest_the_registry_does_not_hold_is_reported_missing_and_no_registry_is_unknown()
    {
        Assert.False(LocalRegistry.HasManifest(_env.RegistryPort, "orders-api", "sha256:" + new string('b', 64)));
        Assert.Null(LocalRegistry.HasManifest(Pipeline.Tests.Support.FreePorts.One(), "orders-api", "sha256:" + new string('b', 64)));
    }

    [Fact]
    public void The_host_refuses_an_image_missing_from_the_registry_with_exit_2_before_any_task()
    {
        using var host = new Pipeline.Tests.Host.HostProcess();
        var r = host.Run(["--target=Release", "--env=" + _env.Name, "--image=" + Missing],
            env: new Dictionary<string, string> { ["RELEASE_ENVIRONMENTS_DIR"] = _env.EnvironmentsDir, ["RELEASE_STATE_DIR"] = _env.StateRoot });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"--image: {Missing} is not in the registry localhost:{_env.RegistryPort}", r.Output);
        Assert.DoesNotContain("Plan ", r.Output);
        Assert.False(Directory.Exists(host.Artifacts), "no task may run");
    }

    public void Dispose()
    {
        LocalRegistry.Stop(_context);
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }
}
