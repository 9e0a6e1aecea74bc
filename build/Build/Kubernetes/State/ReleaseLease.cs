using Cake.Core.Diagnostics;
using Pipeline.Tools;

namespace Pipeline.Kubernetes.State;

/// <summary>
/// The environment lock as the Lease <c>&lt;release&gt;-release-lock</c> in the release's namespace, so runs on
/// different machines exclude each other. Acquire: absent → create; released (no holder) → replace at once;
/// held and renewed within its duration by this runner's clock → fail fast naming the holder; held but looking
/// expired → taken over only after this runner has seen it unchanged (same resourceVersion) for a full lease
/// duration on its own monotonic clock, as client-go's leader election does — so the verdict never rests on the
/// two runners' wall clocks agreeing. A holder that renews meanwhile (its clock differs from ours) is live: fail
/// fast naming it. Every takeover replaces at the resourceVersion read, so of two takers only one wins.
/// </summary>
public sealed class ReleaseLease(KubeCluster cluster, RecordNames names, string holder, LeaseTiming timing, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private KubernetesSettings K => cluster.Settings;

    public string Where => $"{names.Lock} (namespace {K.Namespace}, context {K.Context})";

    public KubeLease? Read() => KubeLease.Parse(cluster.Run(Kubectl.GetIfExists(K.Context, K.Namespace, "lease", names.Lock)));

    public HeldLease Acquire(string verb)
    {
        var found = Read();
        if (found is not null && found.IsHeldAt(_clock.GetUtcNow())) throw new EnvironmentLeasedException(K.Environment, found, Where);
        if (found?.Holder is not null) found = ObserveUnchanged(found);
        var now = _clock.GetUtcNow();
        var mine = new KubeLease(names.Lock, holder, (int)timing.Duration.TotalSeconds, now, now,
            found is null ? 0 : found.Transitions + 1, verb, found?.ResourceVersion);
        var manifest = mine.ToJson(K.Namespace, names.Labels("lock"));
        var command = found is null ? Kubectl.Create(K.Context, K.Namespace, manifest) : Kubectl.Replace(K.Context, K.Namespace, manifest);
        var result = cluster.TryRun(command);
        if (result.ExitCode != 0)
        {
            if (!ConcurrentChange.Refused(result.StandardError, names.Lock)) throw new ToolFailedException(command, result.ExitCode, result.StandardError);
            // Another run took it between our read and our write: it is the holder to name.
            if (Read() is { } winner && winner.IsHeldAt(_clock.GetUtcNow())) throw new EnvironmentLeasedException(K.Environment, winner, Where);
            throw new ReleaseRecordConflictException($"The lock {Where} changed while this run took it; nothing was changed. Re-run.\nkubectl: {result.StandardError.Trim()}");
        }
        if (found?.Holder is { } previous)
        {
            cluster.Session.Log.Warning("Took over the expired lock {0} from {1} (last renewed {2:u} by its clock; unchanged here for {3:0} s).",
                Where, previous, found.RenewTime, ObservationFor(found).TotalSeconds);
            cluster.Session.Event("lock-taken-over", names.Lock, $"from {previous}, expired {found.ExpiresAt:u}");
        }
        var held = KubeLease.Parse(result.StandardOutput) ?? throw new InvalidOperationException($"kubectl {command.Args[4]} printed no Lease for {names.Lock}.");
        return new HeldLease(cluster, names, held, timing, _clock);
    }

    /// <summary>How long a lease that looks expired must stay unchanged before it is taken: its holder's promised duration, at least ours.</summary>
    private TimeSpan ObservationFor(KubeLease lease) => TimeSpan.FromSeconds(Math.Max(lease.DurationSeconds, timing.Duration.TotalSeconds));

    /// <summary>
    /// Re-reads a lease whose holder looks expired every <see cref="LeaseTiming.ObserveEvery"/> until it has stayed at
    /// the same resourceVersion for a full duration measured on this runner's monotonic clock (wall-clock skew
    /// between runners cannot shorten or stretch that). Returns the lease to replace — or null / a released lease
    /// if it was deleted / released meanwhile. A lease renewed or taken meanwhile is live: fail fast naming it.
    /// </summary>
    private KubeLease? ObserveUnchanged(KubeLease seen)
    {
        var wait = ObservationFor(seen);
        cluster.Session.Log.Information("The lock {0} held by {1} looks expired by this runner's clock (renewed {2:u}); taking it over only if it stays unchanged for {3:0} s.",
            Where, seen.Holder, seen.RenewTime, wait.TotalSeconds);
        var since = _clock.GetTimestamp();
        while (true)
        {
            var left = wait - _clock.GetElapsedTime(since);
            if (left <= TimeSpan.Zero) return seen;
            Task.Delay(left < timing.ObserveEvery ? left : timing.ObserveEvery, _clock).GetAwaiter().GetResult();
            var now = Read();
            if (now?.ResourceVersion == seen.ResourceVersion) continue;
            if (now?.Holder is null) return now; // released or deleted meanwhile: free to take at once
            if (now.Holder == seen.Holder)
                cluster.Session.Log.Warning("The lock {0} was renewed by {1} at {2:u} by its clock although this runner's clock considered it expired at {3:u} (clock skew between the runners): the holder is live.",
                    Where, now.Holder, now.RenewTime, seen.ExpiresAt);
            throw new EnvironmentLeasedException(K.Environment, now, Where);
        }
    }
}
