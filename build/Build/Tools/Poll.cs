using System.Diagnostics;

namespace Pipeline.Tools;

/// <summary>
/// The one way the pipeline waits for something (a daemon's socket, a ready probe, HAProxy marking a server
/// UP): a deadline, a reason and the last observation. Ten hand-rolled loops each had their own timeout
/// message — some said nothing about what they last saw, one (Daemon.Stop) gave up silently.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Calls <paramref name="probe"/> until it reports done, or throws <see cref="PollTimeoutException"/> naming
    /// <paramref name="reason"/> and the last observation. Exceptions the probe lets out are not swallowed: a
    /// probe that can fail transiently catches that itself and returns it as its observation.
    /// </summary>
    public static string Until(Func<(bool Done, string Observed)> probe, TimeSpan timeout, string reason, TimeSpan? interval = null)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var (done, observed) = probe();
            if (done) return observed;
            if (sw.Elapsed >= timeout) throw new PollTimeoutException(reason, timeout, observed);
            Thread.Sleep(Min(interval ?? DefaultInterval, timeout - sw.Elapsed));
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; the observation on timeout is "still false".</summary>
    public static void Until(Func<bool> condition, TimeSpan timeout, string reason, TimeSpan? interval = null) =>
        Until(() => condition() ? (true, "true") : (false, "still false"), timeout, reason, interval);

    /// <summary>Like <see cref="Until(Func{bool}, TimeSpan, string, TimeSpan?)"/> but returns false at the deadline instead of throwing (a bounded best effort, e.g. a drain).</summary>
    public static bool Within(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        try { Until(condition, timeout, "best effort", interval); return true; }
        catch (PollTimeoutException) { return false; }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => b <= TimeSpan.Zero ? TimeSpan.Zero : a < b ? a : b;
}

/// <summary>A wait ran out: what was awaited, for how long, and what was seen last.</summary>
public sealed class PollTimeoutException(string reason, TimeSpan timeout, string lastObservation)
    : TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {reason}; last observation: {lastObservation}")
{
    public string Reason { get; } = reason;
    public string LastObservation { get; } = lastObservation;
}
