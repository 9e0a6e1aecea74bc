using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Kubernetes;
using Pipeline.Kubernetes.State;
using Pipeline.Tests.Kubernetes.Support;

namespace Pipeline.Tests.Kubernetes;

/// <summary>
/// The environment lock as a Lease in the cluster: fail fast naming a live holder, take over an expired-looking one
/// only after watching it unchanged for a full duration on this runner's own clock, at the resourceVersion read (one
/// winner), renew in the background, release at the end by clearing the holder.
/// </summary>
public sealed class ReleaseLeaseTests
{
    private const string Carol = "carol (GitHub Actions run 14020230417 on fv-az1234-567, pid 4242)";

    /// <summary>The fixture lease, last renewed <paramref name="ago"/> before now (60 s duration).</summary>
    private static string CarolsLease(TimeSpan ago)
    {
        var t = KubeLease.MicroTime(DateTimeOffset.UtcNow - ago);
        return ClusterScript.Fixture("lease-held.json").Replace("ACQUIRE_TIME", t).Replace("RENEW_TIME", t);
    }

    /// <summary>A lease released by its last holder (no holderIdentity), renewed long ago.</summary>
    private static string ReleasedLease() =>
        CarolsLease(TimeSpan.FromMinutes(5)).Replace($"\"holderIdentity\": \"{Carol}\",", "");

    /// <summary>A fake clock at the real now, so the fixture lease's renewTime means what it says.</summary>
    private static FakeTimeProvider Clock() => new(DateTimeOffset.UtcNow);

    /// <summary>
    /// Runs <paramref name="take"/> on another thread while <paramref name="clock"/> advances a second at a time (the
    /// takeover's wait passes without real waiting); returns its result and how much time the clock had to advance.
    /// </summary>
    private static (T Result, TimeSpan Waited) WhileTimePasses<T>(FakeTimeProvider clock, Func<T> take)
    {
        var start = clock.GetTimestamp();
        var run = Task.Run(take);
        while (!SpinWait.SpinUntil(() => run.IsCompleted, TimeSpan.FromMilliseconds(2)))
        {
            if (clock.GetElapsedTime(start) > TimeSpan.FromMinutes(10)) throw new TimeoutException("the lease was still being watched after 10 fake minutes");
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        return (run.GetAwaiter().GetResult(), clock.GetElapsedTime(start)); // rethrows take's own exception
    }

    private static KubeLease Stored(KubeFixture f) => KubeLease.Parse(f.Objects!.Get("lease", "orders-release-lock")!.ToJsonString())!;

    private static IEnumerable<string> LeaseWrites(ClusterScript s) =>
        s.RecordCommands().Where(c => c.StandardInput?.Contains("\"kind\":\"Lease\"") == true).Select(c => c.Args[4]);

    [Fact]
    public async Task A_lease_held_by_another_live_run_fails_fast_naming_the_holder_and_nothing_changes()
    {
        var script = new ClusterScript();
        using var f = new KubeFixture(script);
        f.StableServes(KubeFixture.Old);
        f.Objects!.Put(CarolsLease(TimeSpan.FromSeconds(5)));

        var e = await Assert.ThrowsAsync<EnvironmentLeasedException>(() => f.Engine.DeployAsync(KubeFixture.New.Image));

        Assert.StartsWith($"Environment 'dev' is locked by {Carol} (verb Release (from HelmUpgradeCanary), Lease orders-release-lock (namespace orders-dev, context dev), renewed ", e.Message);
        Assert.Contains("wait for it to finish", e.Message);
        Assert.Equal(["kubectl --context dev --namespace orders-dev get lease orders-release-lock --ignore-not-found --output json"],
            script.RecordCommands().Select(c => c.ToString()));
        Assert.DoesNotContain(script.History, c => c.Tool == "helm");
        Assert.Equal(Carol, Stored(f).Holder);
    }

    [Fact]
    public void An_expired_looking_lease_left_unchanged_for_a_full_duration_on_this_runners_clock_is_taken_over_at_the_resourceVersion_read()
    {
        var script = new ClusterScript();
        var clock = Clock();
        using var f = new KubeFixture(script, actor: "alice", clock: clock);
        f.Objects!.Put(CarolsLease(TimeSpan.FromMinutes(5)));

        var (held, waited) = WhileTimePasses(clock, () => f.Session.Lock("rollback"));

        using (held)
        {
            Assert.InRange(waited, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(70)); // one full duration, measured here
            var commands = script.RecordCommands();
            var replace = commands.Single(c => c.Args[4] == "replace");
            var reads = commands.TakeWhile(c => c != replace).ToList();
            Assert.All(reads, c => Assert.Equal("kubectl --context dev --namespace orders-dev get lease orders-release-lock --ignore-not-found --output json", c.ToString()));
            Assert.InRange(reads.Count, 12, 14); // re-read every 5 s while watching
            var sent = JsonNode.Parse(replace.StandardInput!)!;
            Assert.Equal("48377", sent["metadata"]!["resourceVersion"]!.GetValue<string>()); // the version read: a second taker is refused
            Assert.Equal("rollback", sent["metadata"]!["annotations"]!["orders-release/verb"]!.GetValue<string>());
            Assert.StartsWith("alice (", sent["spec"]!["holderIdentity"]!.GetValue<string>());
            Assert.Equal(7, sent["spec"]!["leaseTransitions"]!.GetValue<int>());
            Assert.Equal(60, sent["spec"]!["leaseDurationSeconds"]!.GetValue<int>());
            Assert.Contains(f.Session.Record.Events, ev => ev.Kind == "lock-taken-over" && ev.Detail!.StartsWith("from " + Carol, StringComparison.Ordinal));
        }
        Assert.Null(Stored(f).Holder); // released at the end
    }

    [Fact]
    public void An_expired_looking_lease_renewed_while_watched_is_live_and_fails_fast_naming_its_holder_with_nothing_written()
    {
        // Carol's clock runs behind ours: her renewTime looks 5 minutes old here, yet she renews on time.
        var script = new ClusterScript();
        var clock = Clock();
        using var f = new KubeFixture(script, actor: "alice", clock: clock);
        f.Objects!.Put(CarolsLease(TimeSpan.FromMinutes(5)));
        var reads = 0;
        f.Objects.BeforeEachRead = () =>
        {
            if (++reads == 4) f.Objects.Put(CarolsLease(TimeSpan.FromMinutes(4)).Replace("\"48377\"", "\"48391\""));
        };

        var e = Assert.Throws<EnvironmentLeasedException>(() => WhileTimePasses(clock, () => f.Session.Lock("rollback")));

        Assert.StartsWith($"Environment 'dev' is locked by {Carol} (verb Release (from HelmUpgradeCanary), ", e.Message);
        Assert.Equal("48391", e.Lease.ResourceVersion);
        Assert.Equal(4, reads); // failed at the read that saw the renewal, well before a duration had passed
        Assert.Empty(LeaseWrites(script));
        Assert.DoesNotContain(f.Session.Record.Events, ev => ev.Kind == "lock-taken-over");
        Assert.Equal(Carol, Stored(f).Holder);
    }

    [Fact]
    public async Task A_released_lease_is_taken_at_once_without_watching_it()
    {
        var script = new ClusterScript();
        var clock = Clock(); // never advanced: a wait would never end
        using var f = new KubeFixture(script, actor: "alice", clock: clock);
        f.Objects!.Put(ReleasedLease());

        // A TimeoutException here: it waited for a clock that never moves.
        var held = await Task.Run(() => f.Session.Lock("promote")).WaitAsync(TimeSpan.FromSeconds(30));

        using (held)
        {
            Assert.StartsWith("alice (", Stored(f).Holder);
            Assert.Equal(["get", "replace"], script.RecordCommands().Select(c => c.Args[4]));
            Assert.Equal("48377", JsonNode.Parse(script.RecordCommands()[1].StandardInput!)!["metadata"]!["resourceVersion"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Of_two_runs_taking_over_the_same_expired_lease_only_one_wins_and_the_other_names_it()
    {
        var cluster = new ClusterObjects();
        var clock = Clock();
        using var alice = new KubeFixture(new ClusterScript(cluster), actor: "alice", clock: clock);
        using var bob = new KubeFixture(new ClusterScript(cluster), actor: "bob", clock: clock);
        cluster.Put(CarolsLease(TimeSpan.FromMinutes(5)));
        IDisposable? bobs = null;
        // Both watched the expired lease unchanged; bob's replace lands between alice's last read and alice's replace.
        cluster.BeforeNextWrite = () => bobs = bob.Session.Lock("promote");

        var e = Assert.Throws<EnvironmentLeasedException>(() => WhileTimePasses(clock, () => alice.Session.Lock("rollback")));

        using var _ = bobs;
        Assert.StartsWith("Environment 'dev' is locked by bob (", e.Message);
        Assert.Contains("(verb promote, ", e.Message);
        Assert.StartsWith("bob (", KubeLease.Parse(cluster.Get("lease", "orders-release-lock")!.ToJsonString())!.Holder);
    }

    [Fact]
    public void The_holder_renews_in_the_background_and_releases_at_the_end_so_the_next_run_takes_it_at_once()
    {
        var script = new ClusterScript();
        using var f = new KubeFixture(script, actor: "alice");
        var records = new ClusterRecords(new KubeCluster(f.Session, f.Target.Settings), new LeaseTiming(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20)));

        var held = (HeldLease)records.Lock("deploy");
        var acquired = held.Lease;
        SpinWait.SpinUntil(() => LeaseWrites(script).Count(w => w == "replace") >= 2, TimeSpan.FromSeconds(30));
        held.Dispose();

        var writes = LeaseWrites(script).ToList();
        Assert.Equal("create", writes[0]);
        Assert.True(writes.Count >= 4, string.Join(", ", writes)); // create, ≥ 2 renewals, the release
        Assert.All(writes.Skip(1), w => Assert.Equal("replace", w));
        var renewed = KubeLease.Parse(script.RecordCommands().Where(c => c.Args[4] == "replace").First().StandardInput!)!;
        Assert.Equal(acquired.ResourceVersion, renewed.ResourceVersion);
        Assert.Equal(acquired.Holder, renewed.Holder);
        Assert.True(renewed.RenewTime >= acquired.RenewTime);
        var released = Stored(f);
        Assert.Null(released.Holder);
        Assert.False(held.Lost);

        using var next = new KubeFixture(new ClusterScript(f.Objects), actor: "bob");
        using (next.Session.Lock("promote")) Assert.StartsWith("bob (", Stored(f).Holder);
    }

    [Fact]
    public void A_lease_lost_to_another_run_is_marked_lost_and_not_released_by_this_one()
    {
        var script = new ClusterScript();
        using var f = new KubeFixture(script, actor: "alice");
        var held = (HeldLease)f.Session.Lock("deploy");
        // Carol took it over meanwhile (this run's renewals had lapsed): a new resourceVersion.
        f.Objects!.Put(CarolsLease(TimeSpan.Zero).Replace("\"48377\"", "\"99999\""));

        held.Renew();
        held.Dispose();

        Assert.True(held.Lost);
        Assert.Contains(f.Session.Record.Events, e => e.Kind == "lock-lost");
        Assert.Equal(Carol, Stored(f).Holder); // never freed by the run that lost it
        Assert.Single(script.RecordCommands(), c => c.Args[4] == "replace"); // the refused renewal; no release
    }

    [Fact]
    public void Verbs_inside_a_run_that_holds_the_lease_nest_instead_of_leaving_a_gap()
    {
        var script = new ClusterScript();
        using var f = new KubeFixture(script);
        var run = f.Session.Lock("Release (from HelmUpgradeCanary)");
        using (f.Session.Lock("deploy")) { }
        using (f.Session.Lock("promote")) Assert.NotNull(Stored(f).Holder); // the inner verbs did not release it
        run.Dispose();
        Assert.Null(Stored(f).Holder);
        Assert.Equal(["create", "replace"], LeaseWrites(script)); // taken once, released once
    }
}
