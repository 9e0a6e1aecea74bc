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
        Assert.False(File.Exists(LockPath));
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
    public void A_holder_on_another_host_is_never_stolen()
    {
        File.WriteAllText(LockPath, JsonSerializer.Serialize(new LockHolder(1, "other-host", "carol", "deploy", DateTimeOffset.UtcNow)));
        Assert.Throws<EnvironmentLockedException>(() => EnvironmentLock.Acquire(LockPath, "local", "bob", "deploy"));
    }

    [Fact]
    public void A_lock_being_written_counts_as_held()
    {
        File.WriteAllText(LockPath, "");
        Assert.Throws<EnvironmentLockedException>(() => EnvironmentLock.Acquire(LockPath, "local", "bob", "deploy"));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
