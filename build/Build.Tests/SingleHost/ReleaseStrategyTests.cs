using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;

namespace Pipeline.Tests.SingleHost;

/// <summary>Each strategy, end to end on real podman/HAProxy/PostgreSQL/Prometheus: only the new digest serves at the end.</summary>
[Collection(SingleHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReleaseStrategyTests(TestImages images)
{
    [Theory]
    [InlineData("rolling")]
    [InlineData("blue-green")]
    [InlineData("canary")]
    public async Task A_release_ends_with_only_the_new_version_serving(string strategy)
    {
        using var env = new SingleHostTestEnvironment(strategy);
        env.UpWith(images.Old);
        Assert.Equal(["1.1.0"], env.VersionsServing(20).Keys);

        // Traffic keeps flowing during the whole release; not one request may fail.
        using var traffic = new BackgroundTraffic(env.LbPort);
        await env.Release.DeployAsync(images.New);
        Assert.Contains(env.Session.Record.Verdicts, v => v.Gate == "smoke" && v.Verdict == Pipeline.Records.Verdict.Pass);
        await env.Release.PromoteAsync();
        var (ok, failed) = traffic.Stop();

        Assert.Equal(["1.2.0"], env.VersionsServing(60).Keys);
        Assert.Equal(0, failed);
        Assert.True(ok > 20, $"only {ok} background requests");
        var running = new AppInstances(env.Session).List();
        Assert.Equal(3, running.Count);
        Assert.All(running, i => Assert.Equal(images.New, i.Image));
        var kinds = env.Session.Record.Events.Select(e => e.Kind).ToHashSet();
        Assert.Superset(new HashSet<string> { "started", "ready", "joined-lb", "drained", "stopped" }, kinds);
        Assert.Empty(new DriftDetector(env.Session).Assess().Differences);
    }

    [Fact]
    public async Task A_failing_canary_ends_with_only_the_old_version_serving()
    {
        using var env = new SingleHostTestEnvironment("canary");
        env.UpWith(images.Old);
        env.Session.CandidateEnvironment = new Dictionary<string, string> { ["ORDERS_FAULT_ERROR_RATE"] = "0.5" };
        using var traffic = new BackgroundTraffic(env.LbPort, tolerateErrors: true);
        // Caught either by the smoke test (it GETs a faulted path) or by the canary gate at a later step.
        var failure = await Assert.ThrowsAsync<ReleaseAbortedException>(async () =>
        {
            await env.Release.DeployAsync(images.New);
            await env.Release.PromoteAsync();
        });
        traffic.Stop();

        Assert.Contains("rolled back", failure.Message);
        Assert.Equal(["1.1.0"], env.VersionsServing(60).Keys);
        Assert.All(new AppInstances(env.Session).List(), i => Assert.Equal(images.Old, i.Image));
        Assert.Contains(env.Session.Audit.Read(), e => e.Action == "rollback" && e.ImageDigest == images.Old);
        var toStable = long.Parse(env.Session.Record.Facts["singlehost.rollback.toStableMs"]);
        Assert.True(toStable < 2000, $"gate failure to 100 % stable took {toStable} ms");
    }
}
