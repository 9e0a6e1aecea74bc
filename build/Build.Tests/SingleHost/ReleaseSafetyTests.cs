using System.Diagnostics;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

/// <summary>The properties that keep a release from hurting users: drain, lock, rollback.</summary>
[Collection(SingleHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReleaseSafetyTests(TestImages images)
{
    [Fact]
    public async Task A_drained_instance_completes_its_in_flight_slow_request()
    {
        using var env = new SingleHostTestEnvironment("rolling", replicas: 2);
        // Every request to the old version takes 5 s, so one is in flight on each old instance while it is drained.
        env.UpWith(images.Old, new Dictionary<string, string> { ["ORDERS_FAULT_EXTRA_LATENCY_MS"] = "5000" });
        var slow = Enumerable.Range(0, 2).Select(_ => SingleHostSession.Http.GetAsync($"http://127.0.0.1:{env.LbPort}/orders?limit=1")).ToList();
        await Task.Delay(300);

        await env.Release.DeployAsync(images.New);

        foreach (var t in slow)
        {
            using var r = await t;
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal("1.1.0", r.Headers.GetValues("X-App-Version").Single());
        }
        var drained = env.Session.Record.Events.Where(e => e.Kind == "drained").ToList();
        Assert.Equal(2, drained.Count);
        Assert.All(drained, e => Assert.Equal("0 sessions", e.Detail));
        Assert.Equal(["1.2.0"], env.VersionsServing(20).Keys);
    }

    [Fact]
    public async Task A_second_release_while_one_runs_fails_fast_and_changes_nothing()
    {
        using var env = new SingleHostTestEnvironment("canary", replicas: 2);
        env.UpWith(images.Old);
        var first = Task.Run(() => env.Release.DeployAsync(images.New));
        var lockFile = env.Session.Layout.LockFile;
        var sw = Stopwatch.StartNew();
        while (!EnvironmentLock.IsHeld(lockFile) && sw.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        var containersBefore = new AppInstances(env.Session).List().Select(i => i.Name).Order().ToList();

        sw.Restart();
        var second = await Assert.ThrowsAsync<EnvironmentLockedException>(() => new SingleHostRelease(env.Session).DeployAsync(images.Old));
        Assert.True(sw.ElapsedMilliseconds < 1000, $"the second release took {sw.ElapsedMilliseconds} ms to fail");
        Assert.Contains("integration-test", second.Message);
        Assert.Contains($"pid {Environment.ProcessId}", second.Message);
        Assert.Equal(containersBefore, new AppInstances(env.Session).List().Select(i => i.Name).Order().Where(containersBefore.Contains).ToList());

        await first; // the first one was not disturbed
        Assert.False(EnvironmentLock.IsHeld(lockFile));
        Assert.Contains(env.Session.Audit.Read(), e => e.Action == "deploy" && e.Outcome == "succeeded" && e.ImageDigest == images.New);
    }

    [Fact]
    public async Task Manual_rollback_shifts_instantly_while_the_old_set_runs_and_restarts_it_otherwise()
    {
        using var env = new SingleHostTestEnvironment("blue-green", replicas: 2);
        env.UpWith(images.Old);
        await env.Release.DeployAsync(images.New);
        Assert.Equal(["1.2.0"], env.VersionsServing(20).Keys);

        // Blue is still running (weight 0): rollback is a weight change.
        await env.Release.RollbackAsync();
        Assert.Equal(["1.1.0"], env.VersionsServing(30).Keys);
        Assert.True(long.Parse(env.Session.Record.Facts["singlehost.rollback.toTargetMs"]) < 5000);

        // Promote 1.2.0 for real, then roll back: 1.1.0 is gone and must start again.
        await env.Release.DeployAsync(images.New);
        await env.Release.PromoteAsync();
        Assert.Equal(["1.2.0"], env.VersionsServing(20).Keys);
        await env.Release.RollbackAsync();
        Assert.Equal(["1.1.0"], env.VersionsServing(30).Keys);
        Assert.True(long.Parse(env.Session.Record.Facts["singlehost.rollback.toTargetMs"]) < 30000);
        Assert.All(new AppInstances(env.Session).List(), i => Assert.Equal(images.Old, i.Image));
    }
}
