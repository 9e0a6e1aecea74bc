using System.Text.Json.Nodes;
using Pipeline.Kubernetes.State;
using Pipeline.SingleHost;
using Pipeline.Tests.Kubernetes.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Kubernetes;

/// <summary>release.json in the cluster: created when absent, replaced at the resourceVersion read, never over another run's write.</summary>
public sealed class ReleaseStateConfigMapTests
{
    private static readonly ReleaseState Canary10 = new(KubeFixture.Old, KubeFixture.New, "canary", 10, DateTimeOffset.Parse("2026-05-13T10:02:03.456Z"));

    private static JsonNode Sent(ToolCommand c) => JsonNode.Parse(c.StandardInput!)!;

    [Fact]
    public void A_first_write_creates_the_ConfigMap_and_later_writes_replace_it_at_the_version_read()
    {
        var script = new ClusterScript();
        using var f = new KubeFixture(script);
        var records = f.Target.Records;

        Assert.Equal(ReleaseState.Empty, records.LoadState());
        records.SaveState(Canary10);
        var created = f.Objects!.Get("configmap", "orders-release-state")!["metadata"]!["resourceVersion"]!.GetValue<string>();
        records.SaveState(Canary10 with { CanaryPercent = 50 });

        Assert.Equal(Canary10 with { CanaryPercent = 50 }, records.LoadState());
        var commands = script.RecordCommands().Select(c => c.ToString()).ToList();
        Assert.Equal(
            [
                "kubectl --context dev --namespace orders-dev get configmap orders-release-state --ignore-not-found --output json",
                "kubectl --context dev --namespace orders-dev create --filename - --output json",
                "kubectl --context dev --namespace orders-dev replace --filename - --output json",
                "kubectl --context dev --namespace orders-dev get configmap orders-release-state --ignore-not-found --output json",
            ], commands);
        var writes = script.RecordCommands().Where(c => c.StandardInput is not null).Select(Sent).ToList();
        Assert.Null(writes[0]["metadata"]!["resourceVersion"]);
        Assert.Equal(created, writes[1]["metadata"]!["resourceVersion"]!.GetValue<string>()); // what the create answered
        Assert.Equal("state", writes[1]["metadata"]!["labels"]!["orders-release/record"]!.GetValue<string>());
        Assert.Contains("\"canaryPercent\": 50", writes[1]["data"]!["release.json"]!.GetValue<string>());
    }

    [Fact]
    public void A_write_over_another_runs_change_is_refused_with_a_clear_error_and_overwrites_nothing()
    {
        var cluster = new ClusterObjects();
        using var a = new KubeFixture(new ClusterScript(cluster));
        using var b = new KubeFixture(new ClusterScript(cluster));
        a.StableServes(KubeFixture.Old);
        var version = cluster.Get("configmap", "orders-release-state")!["metadata"]!["resourceVersion"]!.GetValue<string>();
        var seenByA = a.Target.Records.LoadState();
        b.Target.Records.LoadState();

        a.Target.Records.SaveState(seenByA with { Candidate = KubeFixture.New, Strategy = "canary", CanaryPercent = 10 });
        var e = Assert.Throws<ReleaseRecordConflictException>(() => b.Target.Records.SaveState(new ReleaseState(KubeFixture.New)));

        Assert.StartsWith($"release.json in ConfigMap orders-release-state (namespace orders-dev, context dev) was changed by another run after this one read it (this run read resourceVersion {version}): nothing was overwritten.", e.Message);
        Assert.Contains("Error from server (Conflict)", e.Message);
        Assert.Equal(10, a.Target.Records.LoadState().CanaryPercent); // A's write stands
    }

    [Fact]
    public void Two_runs_that_both_found_no_state_cannot_both_create_it()
    {
        var cluster = new ClusterObjects();
        using var a = new KubeFixture(new ClusterScript(cluster));
        using var b = new KubeFixture(new ClusterScript(cluster));
        a.Target.Records.LoadState();
        b.Target.Records.LoadState();

        a.Target.Records.SaveState(new ReleaseState(KubeFixture.Old));
        var e = Assert.Throws<ReleaseRecordConflictException>(() => b.Target.Records.SaveState(new ReleaseState(KubeFixture.New)));

        Assert.Contains("(there was none when this run looked; now there is)", e.Message);
        Assert.Contains("Error from server (AlreadyExists)", e.Message);
        Assert.Equal(KubeFixture.Old, b.Target.Records.LoadState().Stable);
    }

    [Fact]
    public void Any_other_refusal_is_kubectls_own_error_not_a_conflict()
    {
        using var f = new KubeFixture(new ClusterScript());
        f.Target.Records.LoadState();
        f.Objects!.RefuseNextWrite = "Error from server (Forbidden): error when creating \"STDIN\": configmaps is forbidden: User \"bob\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"orders-dev\"";

        var e = Assert.Throws<ToolFailedException>(() => f.Target.Records.SaveState(new ReleaseState(KubeFixture.Old)));

        Assert.Contains("configmaps is forbidden", e.Message);
        // A namespace that does not exist is NotFound too, but it names the namespace, not the object.
        Assert.False(ConcurrentChange.Refused("Error from server (NotFound): error when creating \"STDIN\": namespaces \"orders-dev\" not found", "orders-release-state"));
        Assert.True(ConcurrentChange.Refused("Error from server (NotFound): error when replacing \"STDIN\": configmaps \"orders-release-state\" not found", "orders-release-state"));
    }
}
