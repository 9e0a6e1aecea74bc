using Pipeline.Config;
using Pipeline.Host;
using Pipeline.Infrastructure;
using Pipeline.Kubernetes;
using Pipeline.Tools;

namespace Pipeline.Tasks;

/// <summary>
/// The e2e workflow's throwaway kind cluster gets the platform Terraform gives real clusters — Gateway API CRDs and
/// Envoy Gateway, Prometheus, PostgreSQL (CloudNativePG) — at the same pinned versions, so `Release --env=dev`
/// runs its canary through the real gate. Only for dev: staging's and prod's platform is Terraform's alone.
/// </summary>
[TaskName(nameof(E2ePlatform))]
[TaskDescription("e2e only (dev on a kind cluster): installs Gateway API + Envoy Gateway, kube-prometheus-stack and CloudNativePG at terraform/'s pinned versions.")]
[IsDependentOn(typeof(Prerequisites))]
public sealed class E2ePlatform : FrostingTask<BuildContext>
{
    public const string Environment = "dev";

    public override void Run(BuildContext context)
    {
        if (context.Config.Target != TargetKind.Kubernetes || context.EnvironmentName != Environment)
            throw new InvalidOperationException($"{nameof(E2ePlatform)} installs a throwaway cluster's platform for '{Environment}' only; '{context.EnvironmentName}' is Terraform's (TerraformPlan).");
        var k = KubernetesSettings.From(context.Config, context.Paths.RepoRoot, context.Paths.Artifacts);
        foreach (var c in PlatformCharts.ForE2e)
            context.Runner.Run(ClusterCommands.InstallChart(k.Context, c.Release, c.Namespace, c.Repository, c.Name, c.Version, c.Set, TimeSpan.FromMinutes(10)),
                timeout: TimeSpan.FromMinutes(11));
        context.Runner.Run(ClusterCommands.Apply(k.Context, PlatformCharts.Manifest(context.Paths.RepoRoot)), timeout: TimeSpan.FromMinutes(2));
        // The release's migration Job needs the database: wait for it here, not inside a Helm hook timeout.
        context.Runner.Run(ClusterCommands.WaitFor(k.Context, k.Namespace, "cluster.postgresql.cnpg.io/orders-db", "condition=Ready", TimeSpan.FromMinutes(10)),
            timeout: TimeSpan.FromMinutes(11));
    }
}
