using Pipeline.Config;

namespace Pipeline.Tests.Config;

public sealed class EphemeralPortsTests
{
    [Fact]
    public void A_port_inside_the_ephemeral_range_is_refused_with_the_range_and_the_file()
    {
        var error = EphemeralPorts.Overlap([8080, 55432, 18000], (32768, 60999));
        Assert.Equal("singleHost: port(s) 55432 lie in the host's ephemeral port range 32768-60999 (/proc/sys/net/ipv4/ip_local_port_range): an outgoing connection can take one while its server restarts; pick ports below 32768", error);
        Assert.Null(EphemeralPorts.Overlap([8080, 25432, 18000], (32768, 60999)));
        Assert.Null(EphemeralPorts.Overlap([55432], null));
    }

    [Fact]
    public void The_host_range_is_read_from_the_kernel_file()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "32768\t60999\n");
        Assert.Equal((32768, 60999), EphemeralPorts.HostRange(file));
        File.Delete(file);
        Assert.Null(EphemeralPorts.HostRange(file));
    }

    [Fact]
    public void Every_committed_single_host_environment_keeps_its_ports_outside_this_hosts_range()
    {
        var dir = Path.Combine(BuildPaths.Discover("local").RepoRoot, "build", "environments");
        var local = ConfigLoader.Parse(File.ReadAllText(Path.Combine(dir, "local.yaml")), "local.yaml", "local");
        Assert.Equal(25432, local.SingleHost.PostgresPort);
        Assert.DoesNotContain(ConfigValidator.Validate(local, "local"), e => e.Contains("ephemeral", StringComparison.Ordinal));
    }
}
