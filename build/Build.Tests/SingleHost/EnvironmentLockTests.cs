using System.Diagnostics;
using System.Text.Json;
using Pipeline.SingleHost;

namespace Pipeline.Tests.SingleHost;

public sealed class EnvironmentLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lock-").FullName;
    private string LockPath => Path.Combine(_dir, "deploy.lock");

    [Fact]
    public void A_second_holder_fails_fast_naming_the_first()
    {
        using var first = EnvironmentLock.Acquire(LockPath, "local", "alice", "deploy");
        var e = Assert.Throws<EnvironmentLockedException>(() => EnvironmentLock.Acquire(LockPath, "local", "bob", "rollback"));
        Assert.Contains("alice", e.Message);
        Assert.Contains($"pid {Environment.ProcessId}", e.Message);
        Assert.Contains("target deploy", e.Message);
    }

    [Fact]
    public void Releasing_lets_the_next_one_in()
    {
        EnvironmentLock.Acquire(LockPath, "local", "alice", "deploy").Dispose();
        Assert.False(EnvironmentLock.IsHeld(LockPath));
        using var next = EnvironmentLock.Acquire(LockPath, "local", "bob", "promote");
        Assert.Equal("bob", EnvironmentLock.ReadHolder(LockPath)!.Actor);
    }

    [Fact]
    public void A_crashed_holders_lock_is_recovered()
    {
        // A pid that certainly exited: a finished child process of ours.
        using var p = Process.Start(new ProcessStartInfo("true"))!;
        p.WaitForExit();
        File.WriteAllText(LockPath, JsonSerializer.Serialize(new LockHolder(p.Id, Environment.MachineName, "crashed", "deploy", DateTimeOffset.UtcNow.AddMinutes(-5))));
        using var taken = EnvironmentLock.Acquire(LockPath, "local", "bob", "rollback");
        Assert.Equal("bob", EnvironmentLock.ReadHolder(LockPath)!.Actor);
    }

    [Fact]
    public void A_lock_another_process_holds_fails_fast_naming_the_holder_and_dies_with_that_process()
    {
        // A second real process holding the same advisory lock: util-linux flock(1) calls flock(2) as we do.
        File.WriteAllText(LockPath, JsonSerializer.Serialize(new LockHolder(4242, Environment.MachineName, "carol", "promote", DateTimeOffset.UtcNow)));
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-n", LockPath, "-c", "echo locked; exec sleep 60"]) { RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());
            var sw = Stopwatch.StartNew();
            var e = Assert.Throws<EnvironmentLockedException>(() => EnvironmentLock.Acquire(LockPath, "local", "bob", "rollback"));
            Assert.True(sw.ElapsedMilliseconds < 1000, $"took {sw.ElapsedMilliseconds} ms");
            Assert.Contains("locked by carol (pid 4242", e.Message);
            Assert.True(EnvironmentLock.IsHeld(LockPath));
        }
        finally { holder.Kill(entireProcessTree: true); holder.WaitForExit(); }
        // flock(1)'s shell child (sleep) holds the inherited descriptor until the kernel reaps it too.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (EnvironmentLock.IsHeld(LockPath) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        // Nothing stale to recover: the OS dropped the lock with its holder.
        using var taken = EnvironmentLock.Acquire(LockPath, "local", "bob", "rollback");
        Assert.Equal("bob", EnvironmentLock.ReadHolder(LockPath)!.Actor);
    }

    [Fact]
    public void A_file_left_by_a_crash_is_not_a_lock()
    {
        File.WriteAllText(LockPath, "");
        using var taken = EnvironmentLock.Acquire(LockPath, "local", "bob", "deploy");
        Assert.True(EnvironmentLock.IsHeld(LockPath));
    }

    [Fact]
    public void A_run_hold_covers_the_verbs_inside_it_and_shuts_everyone_else_out()
    {
        EnvironmentLock.HoldForRun(LockPath, "local", "alice", "Release");
        try
        {
            using (EnvironmentLock.Acquire(LockPath, "local", "alice", "deploy")) { }
            Assert.True(EnvironmentLock.IsHeld(LockPath), "a verb inside the run must not release the run's lock");
            Assert.Equal("Release", EnvironmentLock.ReadHolder(LockPath)!.Target);
        }
        finally { EnvironmentLock.ReleaseRun(LockPath); }
        Assert.False(EnvironmentLock.IsHeld(LockPath));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}

/// <summary>Two pipeline processes: the lock covers a whole run, PromoteGate's wait on a live canary included.</summary>
public sealed class EnvironmentLockProcessTests
{
    [Fact]
    public async Task A_Rollback_started_while_PromoteGate_waits_on_a_live_canary_fails_fast_naming_the_holder()
    {
        using var host = new Pipeline.Tests.Host.HostProcess();
        var old = new ReleaseImage("localhost:5000/orders-api@sha256:" + new string('1', 64), "1.1.0");
        var candidate = new ReleaseImage("localhost:5000/orders-api@sha256:" + new string('2', 64), "1.2.0");
        new ReleaseState(old, candidate, "canary", 25, DateTimeOffset.UtcNow.AddMinutes(-1)).Save(Path.Combine(host.State, "local", "release.json"));
        // A Prometheus that accepts connections and never answers: the gate waits (5 s per query) holding the lock.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
            var gate = Task.Run(() => host.Run(["--target=PromoteGate", "--env=local", "--prometheus=" + url]));
            await Task.Delay(1000);
            var sw = Stopwatch.StartNew();
            var rollback = host.Run(["--target=Rollback", "--env=local"]);
            sw.Stop();
            Assert.Equal(1, rollback.ExitCode);
            Assert.Matches(@"Environment 'local' is locked by .+ \(pid \d+ on .+, target PromoteGate \(from PromoteGate\)", rollback.Output);
            Assert.DoesNotContain("Rollback: ", rollback.Stdout);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4), $"the second run took {sw.Elapsed.TotalSeconds:0.0} s (the gate waits ≥ 5 s)");
            // On a silent Prometheus the gate waits its whole step timeout (minExposure + inconclusive, 90 s on local),
            // longer than HostProcess allows: it is killed there, which is all this test needs once Rollback was refused.
            try { await gate; } catch (TimeoutException) { }
        }
        finally { silent.Stop(); }
    }
}

/// <summary>Shared build outputs wait their turn behind a lock another process holds.</summary>
public sealed class WaitingLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wlock-").FullName;
    private string LockPath => Path.Combine(_dir, "base.lock");

    [Fact]
    public void The_next_run_waits_for_the_holder_and_then_goes()
    {
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-n", LockPath, "-c", "echo locked; exec sleep 1"]) { RedirectStandardOutput = true })!;
        Assert.Equal("locked", holder.StandardOutput.ReadLine());
        using var taken = EnvironmentLock.AcquireWaiting(LockPath, "bob", "ImageBuild", TimeSpan.FromSeconds(30));
        Assert.True(holder.HasExited, "taken only after the holder let go");
    }

    [Fact]
    public void A_holder_that_never_lets_go_times_out_naming_it()
    {
        using var first = EnvironmentLock.Acquire(LockPath, "base", "alice", "ImageBuild");
        var e = Assert.Throws<Pipeline.Tools.PollTimeoutException>(() => EnvironmentLock.AcquireWaiting(LockPath, "bob", "ImageBuild", TimeSpan.FromMilliseconds(300)));
        Assert.Contains("held by alice", e.LastObservation);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
