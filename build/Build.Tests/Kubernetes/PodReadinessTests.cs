using Pipeline.Kubernetes;
using Pipeline.Tests.Kubernetes.Support;

namespace Pipeline.Tests.Kubernetes;

/// <summary>When a track counts as ready, and what a failure says.</summary>
public sealed class PodReadinessTests
{
    private static readonly string D1 = "sha256:" + new string('1', 64), D2 = "sha256:" + new string('2', 64);

    private static PodReadiness For(ClusterScript script, KubeFixture f) =>
        new(new KubeCluster(f.Session, f.Target.Settings), (_, _) => Task.CompletedTask);

    [Fact]
    public async Task A_track_is_ready_only_when_no_pod_of_another_digest_is_left_in_it()
    {
        var old = ClusterScript.Fixture("pods-stable-ready.json");
        // Mid-rollout: the second pod already runs the new digest and is ready, the first still runs the old one.
        var list = System.Text.Json.Nodes.JsonNode.Parse(old)!;
        var second = list["items"]![1]!;
        second["spec"]!["containers"]![0]!["image"] = KubeFixture.Repo + "@" + D2;
        second["status"]!["containerStatuses"]![0]!["imageID"] = KubeFixture.Repo + "@" + D2;
        var mixed = list.ToJsonString();
        var done = old.Replace(new string('1', 64), new string('2', 64));
        var script = new ClusterScript().On("track=stable", mixed, done);
        using var f = new KubeFixture(script);

        await For(script, f).AwaitAsync("stable", D2, 1, TimeSpan.FromMinutes(1));

        Assert.Equal(2, script.History.Count(c => c.Args.Contains("pods"))); // the first look still saw the old pod
    }

    [Fact]
    public async Task Pods_that_are_merely_slow_fail_at_the_timeout_with_their_state()
    {
        var script = new ClusterScript().On("track=canary", ClusterScript.Fixture("pods-canary-crashloop.json").Replace("\"restartCount\": 4", "\"restartCount\": 1"))
            .On("get events", """{"items":[]}""").On(" logs ", "starting\nwaiting for the database");
        using var f = new KubeFixture(script);

        var e = await Assert.ThrowsAsync<PodsNotReadyException>(() => For(script, f).AwaitAsync("canary", D2, 1, TimeSpan.Zero));

        Assert.StartsWith($"canary track of orders ({D2}): 0/1 pod(s) ready, not ready after 0 s.", e.Message);
        Assert.Contains("pod orders-canary-7d9c5b6f4-klmno (canary, Running, not ready, 1 restarts, CrashLoopBackOff:", e.Message);
        Assert.Contains("last log lines (previous container):\n      starting\n      waiting for the database", e.Message);
    }

    [Fact]
    public async Task A_pull_error_fails_at_once_instead_of_waiting_out_the_timeout()
    {
        var script = new ClusterScript().On("track=canary", ClusterScript.Fixture("pods-canary-imagepull.json")).On("get events", """{"items":[]}""");
        using var f = new KubeFixture(script);
        var e = await Assert.ThrowsAsync<PodsNotReadyException>(() => For(script, f).AwaitAsync("canary", D2, 1, TimeSpan.FromHours(1)));
        Assert.Contains("cannot start", e.Message);
        Assert.Single(script.History, c => c.Args.Contains("pods"));
    }
}
