using Pipeline.Config;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

public sealed class AppInstancesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apps-").FullName;

    private const string Digest = "localhost:5000/orders-api@sha256:3333333333333333333333333333333333333333333333333333333333333333";
    private const string ContractOf130 = "{\"version\":\"1.3.0\",\"schemaMin\":3,\"schemaMax\":4}";

    private SingleHostSession DryRunSession() => Session(new ToolRunner(TestCake.Create(), dryRun: true));

    /// <summary>A session on the "it-apps" test environment running its commands through <paramref name="runner"/>.</summary>
    private SingleHostSession Session(IToolRunner runner)
    {
        File.WriteAllText(Path.Combine(_dir, "it-apps.yaml"), TestEnvironmentFile.Yaml("it-apps"));
        var config = ConfigLoader.Load(_dir, "it-apps", honourOverride: false);
        return new SingleHostSession(config, Path.Combine(_dir, "state"), runner, new RunRecord(), TestCake.Create().Log, "test");
    }

    // Every command lands in run.json and, in a dry run, in the output (ToolCommand.ToString): the value must be in neither.
    [Fact]
    public void Candidate_env_values_reach_no_argv_record_or_dry_run_output()
    {
        var session = DryRunSession();
        new AppInstances(session).Start(2, new ReleaseImage("img@sha256:" + new string('c', 64), "1.2.0"),
            new Dictionary<string, string> { ["ORDERS_FAULT_EXTRA_LATENCY_MS"] = "7319" });
        var run = Assert.Single(session.Runner.History, c => c.Args.Contains("--detach"));
        Assert.Equal(session.Layout.CandidateEnvFile(2), run.Args[run.Args.ToList().IndexOf("--env-file") + 1]);
        Assert.DoesNotContain(session.Runner.History, c => c.ToString().Contains("7319", StringComparison.Ordinal));
        Assert.DoesNotContain(session.Record.Events, e => $"{e.Subject} {e.Detail}".Contains("7319", StringComparison.Ordinal));
        Assert.False(File.Exists(session.Layout.CandidateEnvFile(2)), "a dry run writes nothing to the state dir");
    }

    [Fact]
    public void Instances_without_candidate_env_get_no_env_file()
    {
        var spec = new AppInstances(DryRunSession()).Spec(0, new ReleaseImage("img", "1.1.0"));
        Assert.Null(spec.EnvFile);
        Assert.DoesNotContain("--env-file", Podman.RunApp(spec).Args);
    }

    [Fact]
    public void Every_instance_starts_at_a_low_cpu_weight() =>
        Assert.Equal(Podman.StartupCpuShares, new AppInstances(DryRunSession()).Spec(0, new ReleaseImage("img", "1.1.0")).CpuShares);

    // Left at the driver's default (50), 8 slots could open 400 connections against PostgreSQL's 100.
    [Fact]
    public void Every_instance_gets_the_declared_pool_size()
    {
        var session = DryRunSession();
        session.Config.App.DbMaxPoolSize = 7;
        var spec = new AppInstances(session).Spec(0, new ReleaseImage("img", "1.1.0"));
        Assert.Equal("7", spec.Environment["ORDERS_DB_MAX_POOL_SIZE"]);
    }

    // The drill's phase 7c read the contract of release 3, pushed but never deployed here: `podman run --pull=never`
    // failed with exit 125 instead of the migrator's refusal. Every one-off container now pulls what is missing.
    [Fact]
    public void Contract_and_migrate_pull_an_image_that_is_only_in_the_registry()
    {
        var script = new Pipeline.Tests.Kubernetes.Support.ClusterScript().Fail("image exists", "").On("schema-contract", ContractOf130);
        var session = Session(script);
        const string image = Digest;
        var apps = new AppInstances(session);
        Assert.Equal(4, apps.Contract(image).SchemaMax);
        apps.Migrate(image, 4);
        var podman = script.Commands("podman").ToList();
        // Pulled once: the digest is then known to be present for the rest of the run. No labels: the binary is asked.
        Assert.Equal(["image exists", "pull", "labels", "run", "run"], podman.Select(c => c.Contains(" image exists ") ? "image exists" : c.Contains(" pull ") ? "pull"
            : c.Contains(".Labels") ? "labels" : c.Contains(" run ") ? "run" : c));
    }

    // Each one-off container's start and exit stalled every request for ~0.25 s on the 2-core host (12-07 drill).
    [Fact]
    public void An_image_with_contract_labels_is_not_run_to_ask_for_its_contract()
    {
        var script = new Pipeline.Tests.Kubernetes.Support.ClusterScript()
            .On("{{json .Labels}}", """{"io.orders-release.schema-min":"3","io.orders-release.schema-max":"4","org.opencontainers.image.version":"1.3.0"}""");
        var apps = new AppInstances(Session(script));
        Assert.Equal(new SchemaContract("1.3.0", 3, 4), apps.Contract(Digest));
        Assert.DoesNotContain(script.Commands("podman"), c => c.Contains(" run ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_digest_s_contract_is_read_once_per_run_a_tag_s_every_time()
    {
        var script = new Pipeline.Tests.Kubernetes.Support.ClusterScript().On("schema-contract", ContractOf130);
        var session = Session(script);
        const string digest = Digest;
        const string tag = "localhost:5000/orders-api:1.3.0";
        var apps = new AppInstances(session);
        for (var i = 0; i < 3; i++) Assert.Equal(new SchemaContract("1.3.0", 3, 4), apps.Contract(digest));
        Assert.Equal(new SchemaContract("1.3.0", 3, 4), new AppInstances(session).Contract(digest));
        Assert.Single(script.Commands("podman"), c => c.Contains(" schema-contract", StringComparison.Ordinal) && c.Contains(digest, StringComparison.Ordinal));
        apps.Contract(tag);
        apps.Contract(tag);
        Assert.Equal(2, script.Commands("podman").Count(c => c.Contains(" schema-contract", StringComparison.Ordinal) && c.Contains(tag, StringComparison.Ordinal)));
    }

    [Fact]
    public void A_digest_is_checked_for_once_per_run_a_tag_every_time()
    {
        var script = new Pipeline.Tests.Kubernetes.Support.ClusterScript();
        var apps = new AppInstances(Session(script));
        const string digest = Digest;
        const string tag = "localhost:5000/orders-api:1.3.0";
        foreach (var image in new[] { digest, tag, digest, tag }) apps.EnsureImage(image);
        Assert.Equal([digest, tag, tag], script.Commands("podman").Where(c => c.Contains(" image exists ", StringComparison.Ordinal)).Select(c => c.Split(' ')[^1]));
    }

    // Three starts in one instant made 65 requests slow in one second of the 12-07 drill (blue-green).
    [Fact]
    public void Instances_started_together_are_run_a_stagger_apart()
    {
        var script = new Pipeline.Tests.Kubernetes.Support.ClusterScript();
        var session = Session(script);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var listed = new AppInstances(session).StartAll([3, 4, 5], new ReleaseImage("img@sha256:" + new string('d', 64), "1.2.0"));
        Assert.True(clock.Elapsed >= AppInstances.StartStagger * 2 - TimeSpan.FromMilliseconds(50), $"all three started within {clock.Elapsed}");
        // Launched in slot order; the thread pool may still run two of them in either order, so the set is asserted.
        Assert.Equal([.. new[] { 3, 4, 5 }.Select(session.Layout.ContainerOf)],
            script.Commands("podman").Where(c => c.Contains(" run --detach ", StringComparison.Ordinal)).Select(c => c.Split(" --name ")[1].Split(' ')[0]).Order(StringComparer.Ordinal));
        Assert.Equal([3, 4, 5], listed.Select(i => i.Slot!.Value));
        Assert.Equal(3, session.Record.Events.Count(e => e.Kind == "started"));
    }

    // Three instances exiting in one instant stalled the 2-core host for up to 0.6 s (12-07 drill, blue-green).
    [Fact]
    public void Instances_retired_together_are_signalled_a_stagger_apart_in_slot_order()
    {
        var script = new Pipeline.Tests.Kubernetes.Support.ClusterScript();
        var session = Session(script);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        new AppInstances(session).Stop(0, 1, 2);
        // Task.Delay's timer may fire a millisecond before the Stopwatch agrees; without the stagger this is ~0.
        Assert.True(clock.Elapsed >= AppInstances.ExitStagger * 2 - TimeSpan.FromMilliseconds(50), $"all three signalled within {clock.Elapsed}");
        var grace = session.Config.App.GracePeriodSeconds;
        Assert.Equal([.. new[] { 0, 1, 2 }.Select(s => Podman.StopAndRemove(grace, session.Layout.ContainerOf(s)).ToString())], script.Commands("podman"));
        Assert.Equal(3, session.Record.Events.Count(e => e.Kind == "stopped"));
    }

    // The strategy benchmark's releases each ran a migration one-off that found nothing to apply (0.85 s each).
    [Fact]
    public void A_database_already_at_the_target_schema_runs_no_migration_container()
    {
        var (script, session) = MigrateTo4WithDatabaseAt(4);
        Assert.DoesNotContain(script.Commands("podman"), c => c.Contains(" migrate", StringComparison.Ordinal));
        var e = Assert.Single(session.Record.Events, e => e.Kind.StartsWith("migrat", StringComparison.Ordinal));
        Assert.Equal(("migrate-skipped", "schema already at 4 (target 4)"), (e.Kind, e.Detail));
    }

    [Fact]
    public void A_database_below_the_target_schema_is_migrated()
    {
        var (script, session) = MigrateTo4WithDatabaseAt(3);
        Assert.Single(script.Commands("podman"), c => c.EndsWith(" migrate --to 4", StringComparison.Ordinal));
        Assert.Equal(["migrate-started", "migrated"], session.Record.Events.Select(e => e.Kind).Where(k => k.StartsWith("migrat", StringComparison.Ordinal)));
    }

    /// <summary>`Migrate(image, 4)` against a cluster that exists and whose psql answers schema <paramref name="schema"/>.</summary>
    private (Pipeline.Tests.Kubernetes.Support.ClusterScript Script, SingleHostSession Session) MigrateTo4WithDatabaseAt(int schema)
    {
        var script = new Pipeline.Tests.Kubernetes.Support.ClusterScript().On("psql", "t", schema.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var session = Session(script);
        Directory.CreateDirectory(session.Layout.PostgresData);
        File.WriteAllText(Path.Combine(session.Layout.PostgresData, "PG_VERSION"), "15");
        new AppInstances(session).Migrate(Digest, 4);
        return (script, session);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
