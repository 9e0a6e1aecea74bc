using Pipeline.Host;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tasks;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

/// <summary>
/// The deploy half of Release (Up → DriftCheck → HelmUpgradeCanary → PromoteGate → Promote) run as the host runs
/// it (OnError before the failure propagates, Finally after), on a fresh throw-away environment with the load
/// tester on: a first install, a no-op redeploy, a gated canary promoted, and a failed canary rolled back.
/// </summary>
[Collection(SingleHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReleaseChainTests(TestImages images) : IDisposable
{
    private readonly string _name = "it-" + Guid.NewGuid().ToString("N")[..6];
    private readonly string _dir = Directory.CreateTempSubdirectory("chain-it-").FullName;
    private BuildContext? _last;

    private BuildContext Context(string image, params string[] extra)
    {
        if (!File.Exists(Path.Combine(_dir, _name + ".yaml")))
            File.WriteAllText(Path.Combine(_dir, _name + ".yaml"), TestEnvironmentFile.Yaml(_name, steps: "[50, 100]", smokePaths: "[\"/healthz/ready\"]")
                + "  loadTest:\n    ratePerSecond: 40\n    writeRatio: 0.2\n    paths: [\"/orders?limit=5\"]\n");
        var artifacts = Environment.GetEnvironmentVariable(EnvVars.ArtifactsDir);
        using var _ = EnvScope.Set(_dir, Path.Combine(_dir, "state"));
        Environment.SetEnvironmentVariable(EnvVars.ArtifactsDir, Path.Combine(_dir, "artifacts"));
        try { return _last = new BuildContext(TestCake.Create(["--env=" + _name, "--target=Release", "--image=" + image, .. extra])); }
        finally { Environment.SetEnvironmentVariable(EnvVars.ArtifactsDir, artifacts); }
    }

    private static async Task Run(IFrostingTask task, BuildContext context)
    {
        try { await task.RunAsync(context); }
        catch (Exception e) { task.OnError(e, context); throw; }
        finally { task.Finally(context); }
    }

    private static async Task Deploy(BuildContext c)
    {
        await Run(new Up(), c);
        await Run(new DriftCheck(), c);
        await Run(new HelmUpgradeCanary(), c);
        await Run(new PromoteGate(), c);
        await Run(new Promote(), c);
        c.StopTraffic();
    }

    private Dictionary<string, int> Serving(BuildContext c)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 40; i++)
        {
            using var r = SingleHostSession.Http.GetAsync($"http://127.0.0.1:{c.Config.SingleHost.LoadBalancerPort}/orders?limit=1").GetAwaiter().GetResult();
            var v = r.Headers.TryGetValues("X-App-Version", out var vs) ? vs.First() : $"HTTP {(int)r.StatusCode}";
            counts[v] = counts.GetValueOrDefault(v) + 1;
        }
        return counts;
    }

    [Fact]
    public async Task Fresh_environment_first_install_then_noop_then_a_gated_canary_is_promoted()
    {
        var first = Context(images.Old);
        await Deploy(first);
        Assert.NotEqual("0", first.Record.Facts["singlehost.up.changes"]); // Up booted the fresh environment
        Assert.Contains(first.Record.Verdicts, v => v.Gate == "drift" && v.Verdict == Verdict.Pass);
        Assert.Contains(first.Record.Verdicts, v => v.Gate.StartsWith("canary-") && v.Verdict == Verdict.Skipped && v.Summary == "first install: no stable baseline");
        Assert.Equal(["1.1.0"], Serving(first).Keys);
        Assert.False(first.Record.Facts.ContainsKey("traffic.requests")); // no canary, no synthetic users

        var again = Context(images.Old);
        await Deploy(again);
        Assert.Equal(nameof(DeployOutcome.AlreadyServing), again.Record.Facts[SingleHostRelease.DeployFact]);
        Assert.Equal("0", again.Record.Facts["singlehost.up.changes"]);

        var second = Context(images.New);
        await Deploy(second);
        Assert.Contains(second.Record.Verdicts, v => v.Gate == "canary-50" && v.Verdict == Verdict.Pass);
        Assert.Single(second.Record.Verdicts, v => v.Gate == "canary-50"); // judged once (PromoteGate), not again by Promote
        Assert.Equal(["1.2.0"], Serving(second).Keys);
        Assert.Equal("0", second.Record.Facts["traffic.failed"]);
        Assert.True(int.Parse(second.Record.Facts["traffic.requests"]) > 100);
        Assert.True(File.Exists(Path.Combine(_dir, "artifacts", "traffic.json")));
        var audit = second.SingleHost.Audit.Read();
        Assert.Equal(["deploy", "promote", "deploy", "promote"], audit.Select(e => e.Action));
        Assert.Equal(images.New, audit[^1].ImageDigest);
    }

    [Fact]
    public async Task A_failed_gate_rolls_back_traffic_first_and_ends_with_only_the_old_digest_serving()
    {
        await Deploy(Context(images.Old));
        var bad = Context(images.New, "--candidate-env=ORDERS_FAULT_ERROR_RATE=0.5");

        await Run(new Up(), bad);
        await Run(new HelmUpgradeCanary(), bad);
        // The fault reached the canary through an env file that is gone, and its value is in no recorded argv.
        var canaries = new AppInstances(bad.SingleHost).List().Where(i => i.Version == "1.2.0").ToList();
        Assert.NotEmpty(canaries);
        foreach (var canary in canaries)
        {
            var env = bad.Runner.Run(Podman.Command("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", canary.Name)).StandardOutput;
            Assert.Contains("ORDERS_FAULT_ERROR_RATE=0.5", env.Split('\n'));
        }
        Assert.DoesNotContain(bad.Runner.History, c => c.ToString().Contains("ORDERS_FAULT_ERROR_RATE=0.5", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(bad.SingleHost.Layout.StateDir, "candidate-*.env"));
        await Assert.ThrowsAsync<Pipeline.Tasks.GateFailedException>(() => Run(new PromoteGate(), bad));

        Assert.Equal(["1.1.0"], Serving(bad).Keys);
        Assert.Equal(["1.1.0"], new AppInstances(bad.SingleHost).List().Select(i => i.Version).Distinct());
        // The gate itself caught it, not the smoke test: this environment's smoke test only GETs /healthz/ready (never
        // faulted), so the 50 % errors reach PromoteGate, whose error e-process must end in exactly Fail.
        Assert.Contains(bad.Record.Verdicts, v => v.Gate == "canary-50" && v.Verdict == Verdict.Fail);
        var events = bad.Record.Events.Select(e => e.Kind).ToList();
        Assert.True(events.IndexOf("rolled-back-traffic") < events.LastIndexOf("stopped"), "traffic goes back before the canary stops");
        Assert.True(bad.Record.Facts.ContainsKey("traffic.requests")); // the load tester stopped with the rollback
        var audit = bad.SingleHost.Audit.Read();
        Assert.Equal(("promote", "failed", images.New), (audit[^2].Action, audit[^2].Outcome, audit[^2].ImageDigest));
        Assert.Equal(("rollback", "succeeded", images.Old), (audit[^1].Action, audit[^1].Outcome, audit[^1].ImageDigest));
        Assert.Null(ReleaseState.Load(bad.SingleHost.Layout.ReleaseStateFile).Candidate);
    }

    public void Dispose()
    {
        if (_last is not null)
        {
            _last.StopTraffic();
            try { new SingleHostEnvironment(_last.SingleHost).Down(); } catch (Exception) { }
            var left = _last.Runner.Run(Podman.Command("ps", "-a", "--filter", $"label={SingleHostLayout.EnvLabel}={_name}", "--format", "{{.Names}}"), allowFailure: true).StandardOutput;
            foreach (var c in left.Split('\n', StringSplitOptions.RemoveEmptyEntries)) _last.Runner.Run(Podman.Remove(c), allowFailure: true);
            var pg = _last.SingleHost.Layout.PostgresDir;
            if (!pg.StartsWith(_dir, StringComparison.Ordinal) && Directory.Exists(pg)) try { Directory.Delete(pg, true); } catch (IOException) { }
        }
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
