using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.SingleHost;

public sealed record LockHolder(int Pid, string Host, string Actor, string Target, DateTimeOffset Started);

public sealed class EnvironmentLockedException(string environment, LockHolder holder)
    : Exception($"Environment '{environment}' is locked by {holder.Actor} (pid {holder.Pid} on {holder.Host}, target {holder.Target}, since {holder.Started:u}). " +
                "Two releases must never interleave; wait for it to finish. If that process is gone, the lock is recovered automatically.")
{
    public LockHolder Holder { get; } = holder;
}

/// <summary>
/// One deploy/promote/rollback at a time per environment. The lock file is created with O_EXCL
/// (FileMode.CreateNew), so two processes cannot both win; it names its holder so the loser fails fast
/// with something a person can act on. A holder that crashed (pid gone on this host) does not lock the
/// environment forever: its lock is taken over.
/// </summary>
public sealed class EnvironmentLock : IDisposable
{
    private readonly string _path;
    private bool _released;

    private EnvironmentLock(string path) => _path = path;

    public static EnvironmentLock Acquire(string path, string environment, string actor, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var me = new LockHolder(Environment.ProcessId, Environment.MachineName, actor, target, DateTimeOffset.UtcNow);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                    JsonSerializer.Serialize(stream, me);
                return new EnvironmentLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                var holder = ReadHolder(path);
                if (holder is not null && IsAlive(holder))
                    throw new EnvironmentLockedException(environment, holder);
                // An empty or half-written file is a holder between create and write: alive, unless it stayed that way.
                if (holder is null && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < TimeSpan.FromSeconds(10))
                    throw new EnvironmentLockedException(environment, new LockHolder(0, "?", "(being written)", "?", DateTimeOffset.UtcNow));
                // Stale (holder dead, or a file left half-written by a crash): remove and retry the exclusive create.
                TryDelete(path);
            }
        }
        throw new IOException($"Could not take the lock {path} after recovering a stale one; retry.");
    }

    /// <summary>Dry runs change nothing, so they take no lock.</summary>
    public static EnvironmentLock AcquireNone() => new("") { _released = true };

    public static LockHolder? ReadHolder(string path)
    {
        try { return JsonSerializer.Deserialize<LockHolder>(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or JsonException) { return null; }
    }

    /// <summary>A holder on another host cannot be checked: treated as alive (never steal a live lock).</summary>
    public static bool IsAlive(LockHolder holder)
    {
        if (holder.Host != Environment.MachineName) return true;
        if (holder.Pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(holder.Pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }

    public void Dispose()
    {
        if (_released) return;
        _released = true;
        TryDelete(_path);
    }
}
