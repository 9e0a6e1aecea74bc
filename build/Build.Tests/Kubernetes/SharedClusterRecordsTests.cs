using Pipeline.Kubernetes.State;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tests.Kubernetes.Support;

namespace Pipeline.Tests.Kubernetes;

/// <summary>
/// The defect the cluster records fix: every GitHub workflow runs on a fresh runner. A runner with an empty state
/// dir must see the release, the audit trail and the lock another runner left in the cluster.
/// </summary>
public sealed class SharedClusterRecordsTests
{
    private const string Contract = """{"version":"1.2.0","schemaMin":1,"schemaMax":2}""";
    private static readonly string D1 = new('1', 64);

    private static ClusterScript Runner(ClusterObjects cluster) => new ClusterScript(cluster).On(KubeFixture.Old.Image + " schema-contract", Contract).On(KubeFixture.New.Image + " schema-contract", Contract);

    [Fact]
    public async Task A_fresh_runner_sees_the_canary_another_runner_left_live_and_its_audit_entry()
    {
        var cluster = new ClusterObjects();
        using var first = new KubeFixture(Runner(cluster).On("track=canary", ClusterScript.Fixture("pods-canary-ready.json")), actor: "release-job");
        first.StableServes(KubeFixture.Old);
        await first.Engine.DeployAsync(KubeFixture.New.Image);

        using var fresh = new KubeFixture(Runner(cluster), actor: "drift-job");

        Assert.False(Directory.Exists(fresh.Session.StateDir)); // nothing on this runner's disk
        Assert.False(Directory.Exists(first.Session.StateDir));
        var state = fresh.Engine.State;
        Assert.Equal((KubeFixture.Old, KubeFixture.New, "canary", 10), (state.Stable, state.Candidate, state.Strategy, state.CanaryPercent));
        Assert.Equal(10, fresh.Target.Release.Desired.CanaryWeight); // what DriftCheck compares the cluster with
        Assert.Contains(fresh.Engine.History(), e => e.Action == "deploy" && e.Outcome == "succeeded" && e.Actor == "release-job" && e.ImageDigest == KubeFixture.New.Image);
        Assert.Null(KubeLease.Parse(cluster.Get("lease", "orders-release-lock")!.ToJsonString())!.Holder); // the first runner released the lock
    }

    [Fact]
    public async Task A_rollback_on_a_fresh_runner_returns_to_the_release_before_the_one_another_runner_promoted()
    {
        var cluster = new ClusterObjects();
        using var releaser = new KubeFixture(Runner(cluster), actor: "release-job");
        releaser.Session.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow.AddHours(-2), "promote", "dev", "release-job", KubeFixture.Old.Image, "canary", "succeeded", [], AppVersion: "1.1.0"));
        releaser.Session.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow.AddHours(-1), "promote", "dev", "release-job", KubeFixture.New.Image, "canary", "succeeded", [], AppVersion: "1.2.0"));
        releaser.Session.Persist(new ReleaseState(KubeFixture.New));

        var script = Runner(cluster).On("track=stable", ClusterScript.Fixture("pods-stable-ready.json"));
        using var fresh = new KubeFixture(script, actor: "oncall");
        await fresh.Engine.RollbackAsync();

        Assert.Contains($"stable:\n  digest: \"sha256:{D1}\"\n  version: \"1.1.0\"", script.AppliedValues.Single());
        Assert.Equal(new ReleaseState(KubeFixture.Old), releaser.Session.LoadState()); // the releaser's next look sees the rollback
        Assert.Equal(("rollback", "oncall", KubeFixture.Old.Image), releaser.Engine.History().Select(e => (e.Action, e.Actor, e.ImageDigest)).Last());
    }

    [Fact]
    public async Task A_deploy_takes_the_lease_before_anything_else_and_releases_it_last()
    {
        var script = Runner(new ClusterObjects()).On("track=canary", ClusterScript.Fixture("pods-canary-ready.json"));
        using var f = new KubeFixture(script);
        f.StableServes(KubeFixture.Old);

        await f.Engine.DeployAsync(KubeFixture.New.Image);

        var kube = script.History.Where(c => c.Tool is "helm" or "kubectl" && !c.Args.Contains("version")).ToList();
        static string What(Pipeline.Tools.ToolCommand c) => c.Tool == "helm" ? "helm " + c.Args[0]
            : c.StandardInput is { } json ? $"{c.Args[4]} {(json.Contains("\"kind\":\"Lease\"") ? "lease" : json.Contains("orders-audit-") ? "audit" : "state")}"
            : $"{c.Args[4]} {c.Args[5]}";
        Assert.Equal(["get lease", "create lease"], kube.Take(2).Select(What));
        Assert.Equal("replace lease", What(kube[^1]));
        Assert.Null(KubeLease.Parse(script.History[^1].StandardInput!)!.Holder); // released: the holder cleared
        var middle = kube.Skip(2).SkipLast(1).Select(What).ToList();
        Assert.DoesNotContain("create lease", middle);
        Assert.Equal("replace state", middle.First(w => w.EndsWith(" state", StringComparison.Ordinal) && w.StartsWith("replace", StringComparison.Ordinal))); // release.json said "in progress" ...
        Assert.True(middle.IndexOf("replace state") < middle.IndexOf("helm upgrade")); // ... before helm changed anything
        Assert.Equal(["create audit", "get configmaps"], middle.TakeLast(2)); // the entry, then the retention lists the trail (nothing to prune)
    }
}
