using Pipeline.Drill.Contrast;
using Pipeline.Drill.Phases;

namespace Pipeline.Tests.Drill.Phases;

public sealed class DrillCommandsTests
{
    [Fact]
    public void Identities_and_kill_are_exact()
    {
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs inspect --format '{{.Name}} {{.Id}} {{.RestartCount}}' a b",
            DrillCommands.Identities("a", "b").ToString());
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs kill --signal KILL orders-local-s1", DrillCommands.Kill("orders-local-s1").ToString());
    }

    [Fact]
    public void Health_check_switches_are_haproxy_runtime_commands()
    {
        Assert.Equal("disable health orders/s2", HaproxyHealth.Disable("orders", "s2"));
        Assert.Equal("enable health orders/s2", HaproxyHealth.Enable("orders", "s2"));
    }
}
