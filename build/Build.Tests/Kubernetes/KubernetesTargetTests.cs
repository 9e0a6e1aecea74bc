using Pipeline.Kubernetes;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tests.Kubernetes.Support;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Kubernetes;

/// <summary>
/// The engine on the Kubernetes seams, against scripted cluster answers (no API server here): what each verb applies
/// through helm (the values file at each upgrade), in which order, and what it does when pods never get ready.
/// </summary>
public sealed class KubernetesTargetTests
{
    private const string Contract = """{"version":"1.2.0","schemaMin":1,"schemaMax":2}""";
    private static readonly string D1 = new('1', 64), D2 = new('2', 64);
    private static string StablePods(string digestHex) => ClusterScript.Fixture("pods-stable-ready.json").Replace(D1, digestHex);
    private static string CanaryPods(int ready) => ready == 1 ? ClusterScript.Fixture("pods-canary-ready.json")
        : StablePods(D2).Replace("\"track\": \"stable\"", "\"track\": \"canary\"").Replace("orders-stable-", "orders-canary-");

    private static ClusterScript Script() => new ClusterScript().On(KubeFixture.Old.Image + " schema-contract", Contract).On(KubeFixture.New.Image + " schema-contract", Contract);

    // Old serves; New's canary pods never get ready (the named pod fixture), the cluster's events and the pods'
    // last log lines scripted: the deploy must fail, and the fixture is the caller's to dispose.
    private static async Task<(ClusterScript Script, KubeFixture Fixture, ReleaseAbortedException Error)> DeployOverAStuckCanary(string canaryPods, string logs)
    {
        var script = Script().On("track=canary", ClusterScript.Fixture(canaryPods))
            .On("get events", ClusterScript.Fixture("events-crashloop.json"))
            .On(" logs ", logs);
        var f = new KubeFixture(script);
        f.StableServes(KubeFixture.Old);
        try { return (script, f, await Assert.ThrowsAsync<ReleaseAbortedException>(() => f.Engine.DeployAsync(KubeFixture.New.Image))); }
        catch { f.Dispose(); throw; }
    }

    [Fact]
    public async Task Deploy_brings_the_canary_up_by_digest_at_weight_0_polls_it_ready_then_gives_it_the_first_weight()
    {
        var script = Script().On("track=canary", CanaryPods(1));
        using var f = new KubeFixture(script);
        f.StableServes(KubeFixture.Old);

        Assert.Equal(DeployOutcome.Deployed, await f.Engine.DeployAsync(KubeFixture.New.Image));

        Assert.Equal(2, script.AppliedValues.Count);
        Assert.All(script.AppliedValues, v => Assert.Contains($"stable:\n  digest: \"sha256:{D1}\"\n  version: \"1.1.0\"\n  replicas: 2\n", v)); // stable untouched
        Assert.Contains($"canary:\n  digest: \"sha256:{D2}\"\n  version: \"1.2.0\"\n  replicas: 1\n", script.AppliedValues[0]);
        Assert.Contains("route:\n  canaryWeight: 0\n", script.AppliedValues[0]);
        Assert.Contains("route:\n  canaryWeight: 10\n", script.AppliedValues[1]);
        Assert.Contains("migrations:\n  targetVersion: 2\n", script.AppliedValues[0]);
        var kube = script.History.Where(c => c.Tool is "helm" or "kubectl" && !ClusterScript.IsRecordCommand(c)).Select(c => c.Args[0] == "--context" ? c.Args[4] + " " + c.Args[5] : c.Args[0]).ToList();
        Assert.Equal(["version --output", "upgrade", "get pods", "upgrade"], kube); // reachable? → canary at 0 → ready? → weight
        var state = f.Session.LoadState();
        Assert.Equal((KubeFixture.New, "canary", 10), (state.Candidate, state.Strategy, state.CanaryPercent));
        Assert.Equal(("deploy", "succeeded"), f.Session.Audit.Read().Select(e => (e.Action, e.Outcome)).Last());
    }

    [Fact]
    public async Task Pods_that_never_get_ready_fail_the_deploy_with_their_events_and_logs_and_only_the_canary_goes()
    {
        var (script, f, e) = await DeployOverAStuckCanary("pods-canary-imagepull.json", logs: "");
        using var _ = f;

        Assert.Contains("stable untouched", e.Message);
        Assert.Contains("0/1 pod(s) ready, cannot start", e.Message);
        Assert.Contains("ImagePullBackOff: Back-off pulling image", e.Message);
        Assert.Contains("event: Warning Unhealthy (×3): Readiness probe failed: HTTP probe failed with statuscode: 503", e.Message);
        Assert.Contains(script.History, c => c.ToString() == "kubectl --context dev --namespace orders-dev logs orders-canary-7d9c5b6f4-fghij --container orders --tail 20");
        // Canary up at weight 0, then the canary scaled to 0; the stable digest is the same in every upgrade.
        Assert.Equal(2, script.AppliedValues.Count);
        Assert.Contains("canary:\n  digest: \"\"\n  version: \"\"\n  replicas: 0\n", script.AppliedValues[1]);
        Assert.All(script.AppliedValues, v => Assert.Contains($"digest: \"sha256:{D1}\"", v));
        Assert.Null(f.Session.LoadState().Candidate);
        Assert.Equal([("deploy", "failed"), ("rollback", "succeeded")], f.Session.Audit.Read().TakeLast(2).Select(x => (x.Action, x.Outcome)));
    }

    [Fact]
    public async Task A_crash_looping_canary_reports_the_previous_containers_last_log_lines()
    {
        var (script, f, e) = await DeployOverAStuckCanary("pods-canary-crashloop.json", logs: "migrate: schema 3 is newer than this build's contract (1..2)\nexit 3");
        using var _ = f;
        Assert.Contains("last log lines (previous container):\n      migrate: schema 3 is newer than this build's contract (1..2)\n      exit 3", e.Message);
        Assert.Contains(script.History, c => c.Args.Contains("logs") && c.Args.Contains("--previous"));
    }

    [Fact]
    public async Task Promote_walks_the_steps_then_moves_the_stable_track_to_the_digest_before_weight_0_and_canary_0()
    {
        var script = Script().On("track=canary", CanaryPods(1), CanaryPods(1), CanaryPods(2)).On("track=stable", StablePods(D2))
            .On("httproute", ClusterScript.Fixture("httproute.json"));
        using var f = new KubeFixture(script);
        f.CanaryLiveAt(10);
        f.Target.Judge = new PassingJudge();

        await f.Engine.PromoteAsync(currentStepJudged: true);

        var weights = script.AppliedValues.Select(v => v[(v.IndexOf("canaryWeight: ", StringComparison.Ordinal) + 14)..].Split('\n')[0]).ToList();
        var stables = script.AppliedValues.Select(v => v.Contains($"stable:\n  digest: \"sha256:{D2}\"") ? "new" : "old").ToList();
        var canaries = script.AppliedValues.Select(v => v[(v.IndexOf("canary:", StringComparison.Ordinal))..].Split('\n')[3].Trim()).ToList();
        // 50 %: (canary already ×1) weight; 100 %: canary ×2, weight; promote: stable → new digest; then weight 0 + canary 0.
        Assert.Equal(["50", "50", "100", "100", "0"], weights);
        Assert.Equal(["old", "old", "old", "new", "new"], stables);
        Assert.Equal(["replicas: 1", "replicas: 2", "replicas: 2", "replicas: 2", "replicas: 0"], canaries);
        Assert.Equal(new ReleaseState(KubeFixture.New), f.Session.LoadState());
        Assert.Equal(("promote", "succeeded"), f.Session.Audit.Read().Select(e => (e.Action, e.Outcome)).Last());
    }

    [Fact]
    public void A_failed_gate_takes_the_weight_to_0_first_then_scales_the_canary_to_0()
    {
        var script = Script();
        using var f = new KubeFixture(script);
        f.CanaryLiveAt(10);

        Assert.True(f.Engine.Abort("canary gate FAIL at step 10 %"));

        Assert.Equal(2, script.AppliedValues.Count);
        Assert.Contains("canaryWeight: 0", script.AppliedValues[0]);
        Assert.Contains($"canary:\n  digest: \"sha256:{D2}\"\n  version: \"1.2.0\"\n  replicas: 1", script.AppliedValues[0]); // still there, serving nothing
        Assert.Contains("canary:\n  digest: \"\"\n  version: \"\"\n  replicas: 0", script.AppliedValues[1]);
        Assert.Equal([("promote", "failed"), ("rollback", "succeeded")], f.Session.Audit.Read().TakeLast(2).Select(e => (e.Action, e.Outcome)));
        Assert.True(f.Session.Record.Facts.ContainsKey("kubernetes.rollback.toStableMs"));
    }

    [Fact]
    public async Task Manual_rollback_returns_the_stable_track_to_the_previous_digest_and_waits_for_it()
    {
        var script = Script().On("track=stable", StablePods(D1));
        using var f = new KubeFixture(script);
        f.Session.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow.AddHours(-2), "promote", "dev", "t", KubeFixture.Old.Image, "canary", "succeeded", [], AppVersion: "1.1.0"));
        f.Session.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow.AddHours(-1), "promote", "dev", "t", KubeFixture.New.Image, "canary", "succeeded", [], AppVersion: "1.2.0"));
        f.StableServes(KubeFixture.New);

        await f.Engine.RollbackAsync();

        Assert.Contains($"stable:\n  digest: \"sha256:{D1}\"\n  version: \"1.1.0\"", script.AppliedValues.Single());
        Assert.Contains(script.History, c => c.Args.Contains("app.kubernetes.io/instance=orders,track=stable"));
        Assert.Equal(new ReleaseState(KubeFixture.Old), f.Session.LoadState());
        Assert.Equal(("rollback", "succeeded", KubeFixture.Old.Image), f.Session.Audit.Read().Select(e => (e.Action, e.Outcome, e.ImageDigest)).Last());
    }

    [Fact]
    public async Task No_reachable_cluster_is_one_clear_error_before_anything_changes()
    {
        var script = Script();
        script.Reachable = false;
        using var f = new KubeFixture(script);
        f.StableServes(KubeFixture.Old);
        var e = await Assert.ThrowsAsync<ClusterUnreachableException>(() => f.Engine.DeployAsync(KubeFixture.New.Image));
        Assert.StartsWith("No Kubernetes cluster reachable for environment 'dev' (kube context 'dev', namespace 'orders-dev'): nothing was changed.", e.Message);
        Assert.Contains("connection to the server localhost:8080 was refused", e.Message);
        Assert.DoesNotContain(script.History, c => c.Tool == "helm");
    }

    [Fact]
    public async Task A_dry_run_prints_every_command_and_writes_only_the_values_file()
    {
        var runner = new ToolRunner(TestCake.Create(), dryRun: true, []);
        using var f = new KubeFixture(runner);
        await f.Engine.DeployAsync(KubeFixture.New.Image);

        var values = Path.Combine(f.Dir, "artifacts", "kubernetes", "dev", "values.yaml");
        const string state = "kubectl --context dev --namespace orders-dev get configmap orders-release-state --ignore-not-found --output json";
        Assert.Equal(
            [
                state, // what is declared (a dry run reads nothing: as on a fresh cluster)
                "kubectl --context dev --namespace orders-dev get configmaps --selector orders-release/record=audit,orders-release/release=orders --output json", // the version, from the audit trail
                state, // the desired tracks
                $"helm upgrade orders {Path.Combine(f.Dir, "charts/orders")} --install --kube-context dev --namespace orders-dev --values {values} --wait=hookOnly --timeout 600s --history-max 20",
                "kubectl --context dev --namespace orders-dev get pods --selector app.kubernetes.io/instance=orders,track=stable --output json",
            ], runner.History.Select(c => c.ToString()));
        Assert.Contains($"stable:\n  digest: \"sha256:{D2}\"", File.ReadAllText(values)); // a first install: the stable track
        Assert.DoesNotContain(runner.History, c => c.StandardInput is not null || c.Args.Contains("lease")); // no lock, no record written
    }

    private sealed class PassingJudge : ICanaryJudge
    {
        public Task<GateVerdict> AssessAsync(CanaryStep step, CancellationToken cancellationToken) =>
            Task.FromResult(new GateVerdict($"canary-{step.CanaryPercent}", Verdict.Pass, "scripted pass"));
    }
}
