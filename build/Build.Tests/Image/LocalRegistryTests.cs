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
