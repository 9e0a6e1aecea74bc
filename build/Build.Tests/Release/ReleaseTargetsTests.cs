using Pipeline.Config;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Engine;

/// <summary>The one place a target's seams are chosen.</summary>
public sealed class ReleaseTargetsTests
{
    [Fact]
    public void Single_host_gets_haproxy_routing_podman_workloads_and_the_loopback_prometheus()
    {
        var config = new EnvironmentConfig { Name = "local", Target = TargetKind.SingleHost, SingleHost = new SingleHostConfig { PrometheusPort = 19191 } };
        var cake = TestCake.Create();
        var session = new SingleHostSession(config, Path.Combine(Path.GetTempPath(), "unused-state"), new ToolRunner(cake, dryRun: true, []), new RunRecord(), cake.Log, "t");
        var target = ReleaseTargets.ForSingleHost(session);

        Assert.IsType<SingleHostTarget>(target);
        Assert.IsType<SingleHostTrafficRouter>(target.Router);
        Assert.IsType<SingleHostWorkloads>(target.Workloads);
        Assert.IsType<PrometheusCanaryJudge>(target.Judge);
        Assert.Equal(new Uri("http://127.0.0.1:19191"), target.MetricsAddress);
        Assert.Equal(session.Layout.ReleaseStateFile, target.Session.ReleaseStateFile); // one release.json, whichever view writes it
        Assert.Equal(session.Layout.LockFile, target.Session.LockFile);
    }

    [Fact]
    public void Kubernetes_gets_the_gateway_router_helm_workloads_and_the_configured_prometheus()
    {
        using var f = new Pipeline.Tests.Kubernetes.Support.KubeFixture(new ToolRunner(TestCake.Create(), dryRun: true, []));
        var target = f.Target;
        Assert.IsType<Pipeline.Kubernetes.GatewayTrafficRouter>(target.Router);
        Assert.IsType<Pipeline.Kubernetes.HelmWorkloadController>(target.Workloads);
        Assert.Equal(new Uri("http://prometheus.test:9090"), target.MetricsAddress);
        Assert.Equal(new Uri("http://prometheus.test:9090"), Assert.IsType<PrometheusJudge>(target.Judge).Address);
        Assert.Equal(Path.Combine(f.Dir, "artifacts", "kubernetes", "dev", "values.yaml"), target.Settings.ValuesFile);
    }
}
