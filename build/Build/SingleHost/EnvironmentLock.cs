using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.SingleHost;

public sealed record LockHolder(int Pid, string Host, string Actor, string Target, DateTimeOffset Started);

public sealed class EnvironmentLockedException(string environment, LockHolder holder)
    : Exception($"Environment '{environment}' is locked by {holder.Actor} (pid {holder.Pid} on {holder.Host}, target {holder.Target}, since {holder.Started:u}). " +
                "Two releases must never interleave; wait for it to finish. The lock is held by the operating system for the holder's life: it goes when that process does.")
{
    public LockHolder Holder { get; } = holder;
}

/// <summary>
/// One release at a time per environment, held by the OS: flock(2) LOCK_EX|LOCK_NB on the lock file, for as long
/// as the holder keeps it open (at the latest until its process dies — nothing stale to recover). The file's
/// content only names the holder, so the loser fails fast with something a person can act on. The old O_EXCL
/// file let two processes that both found a dead holder's file delete it and both win; .NET's FileShare.None is
/// not flock (it is an in-process share check plus a lock other tools do not see), so flock is called directly.
/// The file is never deleted: deleting a flock'ed path lets a newcomer lock a fresh inode while an old
/// opener still wins the old one.
/// </summary>
public sealed class EnvironmentLock : IDisposable
{
    private const int LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    [DllImport("libc", SetLastError = true)] private static extern int flock(int fd, int operation);
    [DllImport("libc", SetLastError = true)] private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
    private const int O_RDWR = 2, O_CREAT = 0x40, O_RDONLY = 0, O_CLOEXEC = 0x80000;

    // Opened with open(2), not new FileStream(path): .NET takes its own flock (LOCK_SH, or LOCK_EX for
    // FileShare.None) on every FileStream it opens by path, which would collide with the real lock below.
    private static FileStream OpenRaw(string path, bool create)
    {
        var fd = open(path, (create ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC, Convert.ToInt32("644", 8));
        if (fd < 0) throw new IOException($"open {path} failed (errno {Marshal.GetLastPInvokeError()})");
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), create ? FileAccess.ReadWrite : FileAccess.Read);
    }

    // Paths this process holds for its whole run (a Release: first mutating step to the end): verbs inside it nest.
    private static readonly ConcurrentDictionary<string, EnvironmentLock> RunHolds = new();

    private readonly FileStream? _file;
    private bool _released;

    private EnvironmentLock(FileStream? file) => _file = file;

    public static EnvironmentLock Acquire(string path, string environment, string actor, string target)
    {
        if (RunHolds.ContainsKey(Path.GetFullPath(path))) return AcquireNone();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var file = OpenRaw(path, create: true);
        if (!TryFlock(file.SafeFileHandle))
        {
            var holder = ReadHolder(file) ?? new LockHolder(0, "?", "(another process)", "?", DateTimeOffset.UtcNow);
            file.Dispose();
            throw new EnvironmentLockedException(environment, holder);
        }
        var me = new LockHolder(Environment.ProcessId, Environment.MachineName, actor, target, DateTimeOffset.UtcNow);
        file.SetLength(0);
        file.Write(JsonSerializer.SerializeToUtf8Bytes(me));
        file.Flush(flushToDisk: true);
        return new EnvironmentLock(file);
    }

    /// <summary>
    /// Takes the lock for the rest of this process's run (released by <see cref="ReleaseRun"/> or when the process
    /// ends): the verbs inside it (deploy, gate, promote, rollback) nest instead of leaving gaps between them.
    /// </summary>
    public static void HoldForRun(string path, string environment, string actor, string target)
    {
        var full = Path.GetFullPath(path);
        if (RunHolds.ContainsKey(full)) return;
        RunHolds[full] = Acquire(path, environment, actor, target);
    }

    public static void ReleaseRun(string path)
    {
        if (RunHolds.TryRemove(Path.GetFullPath(path), out var held)) held.Dispose();
    }

    /// <summary>
    /// Waits (bounded) for the lock instead of failing: for shared build outputs (the image work folder), where
    /// the second run should simply go next. Two Promote runs used to collide inside ImageBuild's rootfs.tar.
    /// </summary>
    public static EnvironmentLock AcquireWaiting(string path, string actor, string target, TimeSpan timeout)
    {
        EnvironmentLock? taken = null;
        Tools.Poll.Until(() =>
        {
            try { taken = Acquire(path, Path.GetFileNameWithoutExtension(path), actor, target); return (true, "taken"); }
            catch (EnvironmentLockedException e) { return (false, $"held by {e.Holder.Actor} (pid {e.Holder.Pid}, {e.Holder.Target})"); }
        }, timeout, $"the lock {path}", TimeSpan.FromMilliseconds(200));
        return taken!;
    }

    /// <summary>Dry runs change nothing, so they take no lock.</summary>
    public static EnvironmentLock AcquireNone() => new(null) { _released = true };

    /// <summary>Whether some process (this one included) holds the lock right now.</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        using var file = OpenRaw(path, create: true);
        if (!TryFlock(file.SafeFileHandle)) return true;
        flock((int)file.SafeFileHandle.DangerousGetHandle(), LOCK_UN);
        return false;
    }

    public static LockHolder? ReadHolder(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            using var file = OpenRaw(path, create: false);
            return ReadHolder(file);
        }
        catch (IOException) { return null; }
    }

    private static LockHolder? ReadHolder(FileStream file)
    {
        try
        {
            file.Position = 0;
            using var reader = new StreamReader(file, Encoding.UTF8, leaveOpen: true);
            var text = reader.ReadToEnd();
            return text.Length == 0 ? null : JsonSerializer.Deserialize<LockHolder>(text);
        }
        catch (Exception e) when (e is IOException or JsonException) { return null; }
    }

    private static bool TryFlock(SafeFileHandle handle)
    {
        if (flock((int)handle.DangerousGetHandle(), LOCK_EX | LOCK_NB) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == 11 /* EWOULDBLOCK/EAGAIN */) return false;
        throw new IOException($"flock failed (errno {errno})");
    }

    public void Dispose()
    {
        if (_released) return;
        _released = true;
        if (_file is null) return;
        // The holder's name goes first, then the OS lock (closing the descriptor releases it too).
        _file.SetLength(0);
        flock((int)_file.SafeFileHandle.DangerousGetHandle(), LOCK_UN);
        _file.Dispose();
    }
}
