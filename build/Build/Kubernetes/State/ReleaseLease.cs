using Cake.Core.Diagnostics;
using Pipeline.Tools;

namespace Pipeline.Kubernetes.State;

/// <summary>
/// The environment lock as the Lease <c>&lt;release&gt;-release-lock</c> in the release's namespace, so runs on
/// different machines exclude each other. Acquire: absent → create; released or expired (renewTime + duration in
/// the past) → replace at the resourceVersion read, so of two runs taking over the same expired lease only one
/// wins and the other is refused (Conflict); held by a live holder → fail fast naming it.
/// </summary>
public sealed class ReleaseLease(KubeCluster cluster, RecordNames names, string holder, LeaseTiming timing, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private KubernetesSettings K => cluster.Settings;

    public string Where => $"{names.Lock} (namespace {K.Namespace}, context {K.Context})";

    public KubeLease? Read() => KubeLease.Parse(cluster.Run(Kubectl.GetIfExists(K.Context, K.Namespace, "lease", names.Lock)));

    public HeldLease Acquire(string verb)
    {
        var now = _clock.GetUtcNow();
        var found = Read();
        if (found is not null && found.IsHeldAt(now)) throw new EnvironmentLeasedException(K.Environment, found, Where);
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
            cluster.Session.Log.Warning("Took over the expired lock {0} from {1} (last renewed {2:u}, expired {3:u}).", Where, previous, found.RenewTime, found.ExpiresAt);
            cluster.Session.Event("lock-taken-over", names.Lock, $"from {previous}, expired {found.ExpiresAt:u}");
        }
        var held = KubeLease.Parse(result.StandardOutput) ?? throw new InvalidOperationException($"kubectl {command.Args[4]} printed no Lease for {names.Lock}.");
        return new HeldLease(cluster, names, held, timing, _clock);
    }
}
