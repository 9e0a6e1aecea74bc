using Cake.Core.Diagnostics;
using Pipeline.Tools;

namespace Pipeline.Kubernetes.State;

/// <summary>
/// A lease this run holds: renewed in the background while the verb runs (a helm upgrade can block the calling
/// thread for minutes), released at the end by clearing its holder at the resourceVersion last written — a
/// conditional write, unlike kubectl delete, so a run that lost the lease never frees someone else's.
/// </summary>
public sealed class HeldLease : IDisposable
{
    private readonly KubeCluster _cluster;
    private readonly RecordNames _names;
    private readonly LeaseTiming _timing;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private readonly Lock _gate = new();
    private KubeLease _lease;
    private bool _released;

    public HeldLease(KubeCluster cluster, RecordNames names, KubeLease lease, LeaseTiming timing, TimeProvider clock)
    {
        (_cluster, _names, _lease, _timing, _clock) = (cluster, names, lease, timing, clock);
        _renewing = Task.Run(RenewUntilStoppedAsync);
    }

    /// <summary>As last written by this run.</summary>
    public KubeLease Lease { get { lock (_gate) return _lease; } }

    /// <summary>Another run replaced the lease (ours had expired): release.json's own resourceVersion check still guards the state.</summary>
    public bool Lost { get; private set; }

    /// <summary>Disposed: the verb (or run) that held it has ended.</summary>
    public bool IsReleased { get { lock (_gate) return _released; } }

    private KubernetesSettings K => _cluster.Settings;

    private async Task RenewUntilStoppedAsync()
    {
        while (!Lost)
        {
            try { await Task.Delay(_timing.RenewEvery, _clock, _stop.Token); }
            catch (OperationCanceledException) { return; }
            Renew();
        }
    }

    /// <summary>renewTime = now at the resourceVersion last written. A failed call is retried at the next tick (the lease outlives two).</summary>
    public void Renew()
    {
        lock (_gate)
        {
            if (_released || Lost) return;
            var (ok, refused) = Write(_lease with { RenewTime = _clock.GetUtcNow() }, "renew");
            if (refused)
            {
                Lost = true;
                _cluster.Session.Log.Error("Lost the lock {0}: another run replaced it after this run's renewals lapsed. This verb's writes of release.json will be refused.", _names.Lock);
                _cluster.Session.Event("lock-lost", _names.Lock);
            }
            else if (!ok) _cluster.Session.Log.Warning("Could not renew the lock {0}; retrying in {1:0} s (it expires {2:u}).", _names.Lock, _timing.RenewEvery.TotalSeconds, _lease.ExpiresAt);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _renewing.Wait(); } catch (AggregateException) { }
        lock (_gate)
        {
            if (_released) return;
            _released = true;
            if (Lost) return;
            var (ok, _) = Write(_lease with { Holder = null, Verb = null }, "release");
            if (!ok) _cluster.Session.Log.Warning("Could not release the lock {0}: it expires by itself at {1:u}.", _names.Lock, _lease.ExpiresAt);
        }
    }

    // Never throws: a renewal runs on a background thread, a release inside a using block that may be unwinding.
    private (bool Ok, bool Refused) Write(KubeLease next, string why)
    {
        try
        {
            var command = Kubectl.Replace(K.Context, K.Namespace, next.ToJson(K.Namespace, _names.Labels("lock")));
            var result = _cluster.TryRun(command, _timing.CallTimeout);
            if (result.ExitCode == 0) { _lease = KubeLease.Parse(result.StandardOutput) ?? next; return (true, false); }
            _cluster.Session.Log.Verbose("lease {0}: {1}", why, result.StandardError.Trim());
            return (false, ConcurrentChange.Refused(result.StandardError, _names.Lock));
        }
        catch (Exception e) when (e is ToolFailedException or ToolMissingException or InvalidOperationException or IOException)
        {
            _cluster.Session.Log.Verbose("lease {0}: {1}", why, e.Message);
            return (false, false);
        }
    }
}
