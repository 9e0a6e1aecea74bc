using Pipeline.Kubernetes;
using Pipeline.SingleHost;
using Pipeline.Tests.Kubernetes.Support;

namespace Pipeline.Tests.Kubernetes;

/// <summary>DriftCheck on Kubernetes: each comparison, and the whole check against scripted cluster output.</summary>
public sealed class KubernetesDriftTests
{
    private static readonly string D1 = "sha256:" + new string('1', 64), D2 = "sha256:" + new string('2', 64);
    private static readonly KubeDesired Declared = new(new KubeTrack(D1, "1.1.0", 2), null, 0);
    private static string Values(KubeDesired d) => TrackValues.Render(KubeFixture.Repo, d);

    [Fact]
    public void Values_that_match_are_no_drift_and_a_changed_weight_or_digest_is_named()
    {
        const string live = """{"image":{"repository":"registry.dev.orders.internal/orders-api"},"stable":{"digest":"DIGEST","version":"1.1.0","replicas":2},"canary":{"digest":"","version":"","replicas":0},"route":{"canaryWeight":0}}""";
        var (_, none) = KubernetesDrift.CompareValues(Values(Declared), live.Replace("DIGEST", D1));
        Assert.Empty(none);
        var (_, diffs) = KubernetesDrift.CompareValues(Values(Declared), live.Replace("DIGEST", D2).Replace("\"canaryWeight\":0", "\"canaryWeight\":30").Replace("}}", "},\"debug\":true}"));
        Assert.Equal([$"values stable.digest: declared {D1}, live {D2}", "values route.canaryWeight: declared 0, live 30", "values debug: live true, not declared"], diffs);
    }

    [Fact]
    public void Manifests_are_compared_object_by_object()
    {
        const string rendered = "---\n# Source: orders/templates/deployment-stable.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders-stable\nspec:\n  replicas: 2\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: orders-stable\n";
        Assert.Empty(KubernetesDrift.CompareManifests(rendered, rendered).Item2);
        var live = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders-stable\nspec:\n  replicas: 5\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n";
        Assert.Equal(
            ["manifest Deployment/orders-stable: line 6: declared 'replicas: 2', deployed 'replicas: 5'",
             "manifest Service/orders-stable: declared, not in the deployed release",
             "manifest ConfigMap/extra: deployed, not declared"],
            KubernetesDrift.CompareManifests(rendered, live).Item2);
    }

    [Fact]
    public void Hooks_in_the_rendered_chart_are_not_expected_in_the_deployed_manifest()
    {
        // helm template prints hook resources (migration Job, ExternalSecret, helm test Pod); helm get manifest never does.
        const string service = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: orders-stable\n";
        const string hook = "---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: orders-migrate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n";
        Assert.Empty(KubernetesDrift.CompareManifests(service + hook, service).Item2);
        // The same Job without the hook annotation is an ordinary object and is compared.
        Assert.Equal(["manifest Job/orders-migrate: declared, not in the deployed release"],
            KubernetesDrift.CompareManifests(service + hook.Replace("  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n", ""), service).Item2);
    }

    [Fact]
    public void Pods_on_another_digest_missing_replicas_and_stray_canaries_are_drift()
    {
        var stable = KubeJson.ParsePods(ClusterScript.Fixture("pods-stable-ready.json"));
        Assert.Empty(KubernetesDrift.ComparePods(Declared, stable).Item2);
        var canary = KubeJson.ParsePods(ClusterScript.Fixture("pods-canary-ready.json"));
        var edited = new List<PodStatus>(stable.Take(1)) { stable[1] with { SpecImage = KubeFixture.Repo + "@" + D2, ImageDigest = D2 } };
        Assert.Equal(
            [$"pods stable: orders-stable-6b7c8d9e0-bbbbb runs {KubeFixture.Repo}@{D2}, declared {D1}",
             $"pods stable: orders-stable-6b7c8d9e0-bbbbb is running image {D2}, declared {D1}",
             "pods canary: none declared, 1 run (orders-canary-7d9c5b6f4-abcde)"],
            KubernetesDrift.ComparePods(Declared, [.. edited, .. canary]).Item2);
        Assert.Equal(["pods stable: 1 ready of 2 declared (1 running)"], KubernetesDrift.ComparePods(Declared, stable.Take(1).ToList()).Item2);
    }

    [Fact]
    public void Route_weights_edited_by_hand_are_drift()
    {
        Assert.Empty(KubernetesDrift.CompareRoute(Declared with { CanaryWeight = 10 }, new RouteWeights(90, 10, true)).Item2);
        Assert.Equal(["httproute weights: declared canary 0%, live 10% (stable 90, canary 10)"], KubernetesDrift.CompareRoute(Declared, new RouteWeights(90, 10, true)).Item2);
    }

    [Fact]
    public void The_whole_check_reads_helm_pods_and_the_route_and_reports_a_hand_edited_route()
    {
        // What helm get values -o json returns after the pipeline applied its generated file for "1.1.0 stable, no canary".
        var config = KubeFixture.DevConfig();
        var liveValues = ValuesYaml.Parse(ChartValues.Render(config, KubernetesSettings.From(config, Path.GetTempPath(), Path.GetTempPath()),
            new KubeDesired(new KubeTrack(D1, "1.1.0", 2), null, 0))).ToJsonString();
        const string manifest = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders-stable\n";
        var script = new ClusterScript()
            .On("get values", liveValues)
            .On("helm template", manifest).On("get manifest", manifest)
            .On("track=stable", ClusterScript.Fixture("pods-stable-ready.json"))
            .On("track=canary", """{"items":[]}""")
            .On("httproute", ClusterScript.Fixture("httproute.json"));
        using var f = new KubeFixture(script);
        f.StableServes(KubeFixture.Old);

        var report = f.Engine.Drift();

        Assert.Equal(["httproute weights: declared canary 0%, live 10% (stable 90, canary 10)"], report.Differences);
        Assert.True(report.Checks > 5);
    }
}
