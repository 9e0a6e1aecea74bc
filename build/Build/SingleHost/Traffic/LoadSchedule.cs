namespace Pipeline.SingleHost.Traffic;

public enum RequestKind { Read, Write }

/// <summary>
/// When request i is due and what it is (pure). Open loop: request i is due at i / rate after the start,
/// whatever happened to the requests before it — a slow server gets the same arrivals, as real users would
/// send them, instead of fewer (a closed loop would hide exactly the slowdown the gate must see).
/// </summary>
public static class LoadSchedule
{
    public static TimeSpan DueAt(long index, double ratePerSecond) =>
        TimeSpan.FromTicks((long)Math.Round(index * (double)TimeSpan.TicksPerSecond / ratePerSecond));

    /// <summary>Writes spread evenly among reads (0.2: every 5th request), not in bursts.</summary>
    public static RequestKind KindOf(long index, double writeRatio) =>
        writeRatio > 0 && Math.Floor((index + 1) * writeRatio) > Math.Floor(index * writeRatio) ? RequestKind.Write : RequestKind.Read;

    public static string ReadPath(long index, IReadOnlyList<string> paths) => paths[(int)(index % paths.Count)];

    /// <summary>How many requests a run may send at most: the time bound turned into a count bound.</summary>
    public static long MaxRequests(double ratePerSecond, TimeSpan maxDuration) => (long)Math.Ceiling(ratePerSecond * maxDuration.TotalSeconds);

    /// <summary>Nearest-rank percentile of sorted values (0 when empty).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return 0;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
