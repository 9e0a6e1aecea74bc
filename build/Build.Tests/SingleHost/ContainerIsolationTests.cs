using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Pipeline.Config;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

/// <summary>
/// The outage this prevents: with the host's loopback reachable, any app container (a compromised dependency, an
/// injected request) could shut Prometheus down through its lifecycle API (the gate goes blind), read or drive
/// HAProxy's stats/admin page, and push images to the registry. Checked from inside the running container's
/// network namespace (the image has no shell: nsenter runs the host's bash there), not from its configuration.
/// </summary>
[Collection(SingleHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ContainerIsolationTests(TestImages images)
{
    [Fact]
    public void An_app_container_reaches_PostgreSQL_and_none_of_the_hosts_admin_endpoints()
    {
        using var env = new SingleHostTestEnvironment("canary", replicas: 1);
        env.UpWith(images.Old);
        // Serving through HAProxy means ready, and ready means the instance holds a database connection: the
        // socket directory is its only way to PostgreSQL.
        Assert.Equal(["1.1.0"], env.VersionsServing(5).Keys);

        var instance = Assert.Single(new AppInstances(env.Session).List(), i => i.Running);
        var pid = env.Runner.Run(Podman.Command("inspect", "--format", "{{.State.Pid}}", instance.Name)).StandardOutput.Trim();
        // Positive control: the probe does connect inside that namespace (the app's own port).
        Assert.True(ConnectsInside(env, pid, "127.0.0.1", 8080), "the probe cannot even reach the container's own app port");

        var c = env.Config.SingleHost;
        var (registry, _, _) = ImageReference.Split(images.Old);
        var endpoints = new (string What, int Port)[]
        {
            ("Prometheus (lifecycle API)", c.PrometheusPort),
            ("HAProxy stats/admin", c.StatsPort),
            ("HAProxy load balancer", c.LoadBalancerPort),
            ("the registry", int.Parse(registry!.Split(':')[1], CultureInfo.InvariantCulture)),
            ("PostgreSQL over TCP", c.PostgresPort),
        };
        // The instance sits on the environment's bridge, whose gateway is the host; then every address of the host.
        var layout = env.Session.Layout;
        Assert.Equal(layout.NetworkName, env.Runner.Run(Podman.Command("inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", instance.Name)).StandardOutput.Trim());
        var gateway = env.Runner.Run(Podman.Command("network", "inspect", "--format", "{{range .Subnets}}{{.Gateway}}{{end}}", layout.NetworkName)).StandardOutput.Trim();
        var hostAddresses = HostAddresses().ToList();
        Assert.Contains(gateway, hostAddresses);
        foreach (var (what, port) in endpoints)
        {
            Assert.True(ListensOnHost(port), $"{what} does not listen on 127.0.0.1:{port}: the check below would prove nothing");
            foreach (var address in hostAddresses)
                Assert.False(ConnectsInside(env, pid, address, port), $"an app container reaches {what} at {address}:{port}");
        }
    }

    private static bool ConnectsInside(SingleHostTestEnvironment env, string pid, string address, int port) =>
        env.Runner.Run(new ToolCommand("nsenter", "-t", pid, "-n", "--", "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/$0/$1", address,
            port.ToString(CultureInfo.InvariantCulture)), allowFailure: true).ExitCode == 0;

    private static bool ListensOnHost(int port)
    {
        using var client = new TcpClient();
        try { client.Connect("127.0.0.1", port); return true; }
        catch (SocketException) { return false; }
    }

    private static IEnumerable<string> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => a.Address.ToString());
}
