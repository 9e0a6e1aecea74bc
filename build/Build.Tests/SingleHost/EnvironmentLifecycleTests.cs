using System.Net.Sockets;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

/// <summary>Up from clean, Up again (no changes), drift caught for each kind of out-of-band change, Down leaves nothing.</summary>
[Collection(SingleHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EnvironmentLifecycleTests(TestImages images)
{
    [Fact]
    public void Up_twice_changes_nothing_the_second_time_and_Down_leaves_nothing_running()
    {
        using var env = new SingleHostTestEnvironment("canary", replicas: 2);
        var first = env.UpWith(images.Old);
        Assert.NotEmpty(first);
        Assert.Equal(["1.1.0"], env.VersionsServing(10).Keys);

        Assert.Empty(env.UpWith(images.Old));

        var layout = env.Session.Layout;
        var haproxyPid = Daemon.RunningPid(layout.HaproxyPid);
        var prometheusPid = Daemon.RunningPid(layout.PrometheusPid);
        Assert.NotNull(haproxyPid);
        Assert.NotNull(prometheusPid);
        env.Env.Down();

        Assert.Empty(new AppInstances(env.Session).List());
        Assert.False(ProcessAlive(haproxyPid!.Value));
        Assert.False(ProcessAlive(prometheusPid!.Value));
        foreach (var port in new[] { env.Config.SingleHost.LoadBalancerPort, env.Config.SingleHost.PostgresPort, env.Config.SingleHost.PrometheusPort, env.Config.SingleHost.StatsPort })
            Assert.False(Listening(port), $"port {port} still listens");
        Assert.NotEqual(0, env.Runner.Run(Podman.SecretInspect(layout.SecretName), allowFailure: true).ExitCode);
        Assert.NotEqual(0, env.Runner.Run(Podman.NetworkExists(layout.NetworkName), allowFailure: true).ExitCode);
        Assert.Equal([Pipeline.Records.AuditTrail.FileName], Directory.GetFileSystemEntries(layout.StateDir).Select(Path.GetFileName));
    }

    [Fact]
    public void DriftCheck_passes_after_a_release_and_catches_each_out_of_band_change()
    {
        using var env = new SingleHostTestEnvironment("canary", replicas: 2);
        env.UpWith(images.Old);
        // The out-of-band containers below run the other release, which only an earlier test may have pulled.
        new AppInstances(env.Session).EnsureImage(images.New);
        var drift = new DriftDetector(env.Session);
        Assert.Empty(drift.Assess().Differences);

        // 1. A weight changed by hand on the LB socket.
        var socket = env.Session.Layout.HaproxySocket;
        var slot = new AppInstances(env.Session).List().First().Slot!.Value;
        HaproxyRuntime.Send(socket, HaproxyRuntime.SetWeight(SingleHostLayout.Backend, SingleHostLayout.ServerOf(slot), 7));
        Assert.Contains(drift.Assess().Differences, d => d.Contains("weight 7"));
        HaproxyRuntime.Send(socket, HaproxyRuntime.SetWeight(SingleHostLayout.Backend, SingleHostLayout.ServerOf(slot), 100));
        Assert.Empty(drift.Assess().Differences);

        // 2. A server put in maintenance by hand.
        HaproxyRuntime.Send(socket, HaproxyRuntime.SetState(SingleHostLayout.Backend, SingleHostLayout.ServerOf(slot), ServerAdminState.Maint));
        Assert.Contains(drift.Assess().Differences, d => d.Contains("in maintenance"));
        HaproxyRuntime.Send(socket, HaproxyRuntime.SetState(SingleHostLayout.Backend, SingleHostLayout.ServerOf(slot), ServerAdminState.Ready));
        Assert.Empty(drift.Assess().Differences);

        // 3. Another image started by hand with the environment's labels (what a `podman run` copy-paste does).
        var layout = env.Session.Layout;
        var intruder = layout.ContainerNamePrefix + "intruder";
        env.Runner.Run(Podman.Command(["create", "--name", intruder, .. Podman.Ulimits, "--network", "none",
            "--label", $"{SingleHostLayout.EnvLabel}={env.Name}", "--label", $"{SingleHostLayout.DigestLabel}={images.New}", images.New]));
        var differences = drift.Assess().Differences;
        Assert.Contains(differences, d => d.Contains(intruder));
        env.Runner.Run(Podman.Remove(intruder));

        // 4. One look-alike without labels, only the name pattern.
        env.Runner.Run(Podman.Command(["create", "--name", intruder, .. Podman.Ulimits, images.New]));
        Assert.Contains(drift.Assess().Differences, d => d.Contains(intruder) && d.Contains("not labelled"));
        env.Runner.Run(Podman.Remove(intruder));

        // 5. An instance gone (killed out of band).
        env.Runner.Run(Podman.Remove(layout.ContainerOf(slot)));
        Assert.Contains(drift.Assess().Differences, d => d.Contains("declared 2, running 1"));
    }

    [Fact]
    public void DriftCheck_sees_a_foreign_container_on_a_port_of_the_environment_and_a_column_added_by_hand()
    {
        using var env = new SingleHostTestEnvironment("canary", replicas: 2);
        env.UpWith(images.Old);
        // The out-of-band containers below run the other release, which only an earlier test may have pulled.
        new AppInstances(env.Session).EnsureImage(images.New);
        var drift = new DriftDetector(env.Session);
        Assert.Empty(drift.Assess().Differences);
        var layout = env.Session.Layout;

        // 1. A container under an unrelated name publishing into the app slots' port range.
        var stray = "stray-" + env.Name;
        var port = layout.PortOf(layout.SlotCount - 1);
        try
        {
            env.Runner.Run(Podman.Command(["create", "--name", stray, .. Podman.Ulimits, "--publish", $"127.0.0.1:{port}:8080", images.New]));
            Assert.Contains(drift.Assess().Differences, d => d.StartsWith($"container {stray}: publishes port {port}", StringComparison.Ordinal));
            env.Runner.Run(Podman.Remove(stray));

            // 2. A copy of the declared image under another name, no ports: outside the LB and the gates.
            env.Runner.Run(Podman.Command(["create", "--name", stray, .. Podman.Ulimits, "--network", "none", images.Old]));
            Assert.Contains(drift.Assess().Differences, d => d.StartsWith($"container {stray}: runs this environment's image", StringComparison.Ordinal));
        }
        finally { env.Runner.Run(Podman.Remove(stray), allowFailure: true); }
        Assert.Empty(drift.Assess().Differences);

        // 3. The schema changed by hand: a column no migration declares.
        var pg = Postgres.Psql(layout.PostgresSocketDir, env.Config.SingleHost.PostgresPort, SingleHostLayout.DbName, "ALTER TABLE orders ADD COLUMN x int;\n");
        env.Runner.Run(pg);
        var version = new PostgresCluster(env.Session).SchemaVersion();
        Assert.Contains($"database schema: column orders.x integer — in the database, but not declared by migrations 1–{version}", drift.Assess().Differences);
        env.Runner.Run(pg with { StandardInput = "ALTER TABLE orders DROP COLUMN x;\n" });
        Assert.Empty(drift.Assess().Differences);
    }

    [Fact]
    public void An_instance_podman_lists_as_running_with_no_process_behind_it_is_reported_missing_and_replaced_by_Up()
    {
        using var env = new SingleHostTestEnvironment("canary", replicas: 2);
        env.UpWith(images.Old);
        var victim = new AppInstances(env.Session).List().First(i => i.Running);

        // What a host restored from a snapshot (or an OOM-killed conmon) leaves: podman's records say "running",
        // no process is behind them.
        var pids = env.Runner.Run(Podman.Command("inspect", "--format", "{{.State.Pid}} {{.State.ConmonPid}}", victim.Name)).StandardOutput.Trim();
        // conmon first: killed second, it would still record the container's exit and podman would see it.
        env.Runner.Run(new ToolCommand("kill", ["-9", .. pids.Split(' ').Reverse()]));
        Assert.Contains(new AppInstances(env.Session).List(), i => i.Name == victim.Name && i.Running);

        var missing = env.Env.Missing(images.Old);
        Assert.Equal([$"instance {victim.Name} (listed as running, not ready: Connection refused (127.0.0.1:{env.Session.Layout.PortOf(victim.Slot!.Value)}))"], missing);

        var changes = env.UpWith(images.Old);
        Assert.Equal(["1 instance(s) of 1.1.0 started and joined",
            $"instance {victim.Name} (1.1.0): listed as running but not ready (Connection refused (127.0.0.1:{env.Session.Layout.PortOf(victim.Slot!.Value)})), replaced"], changes);
        var after = new AppInstances(env.Session).List();
        Assert.Equal(2, after.Count(i => i.Running));
        Assert.DoesNotContain(after, i => i.Name == victim.Name);
        Assert.Equal(new Dictionary<string, int> { ["1.1.0"] = 40 }, env.VersionsServing(40));
        Assert.Empty(env.Env.Missing(images.Old));
        Assert.Empty(new DriftDetector(env.Session).Assess().Differences);
    }

    private static bool ProcessAlive(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static bool Listening(int port)
    {
        try { using var c = new TcpClient(); c.Connect("127.0.0.1", port); return true; }
        catch (SocketException) { return false; }
    }
}
