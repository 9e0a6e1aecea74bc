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

    /// <summary>
    /// Request i is a write with probability <paramref name="writeRatio"/>, drawn from a hash of i: reproducible,
    /// and without a period. WHY: writes used to be every 5th request and read paths taken in turn, and HAProxy's
    /// weighted round robin is periodic too — a canary at 10 % got every 10th request, which aliased with the
    /// pattern: in the drill it received nothing but writes while stable served the reads, and the gate compared
    /// the canary's writes with stable's reads (a "slower" canary that was only doing other work).
    /// </summary>
    public static RequestKind KindOf(long index, double writeRatio) =>
        Uniform(index, 0x5752_4954_4553UL) < writeRatio ? RequestKind.Write : RequestKind.Read;

    /// <summary>Which read path request i takes: uniform over the paths, drawn from a hash of i (see <see cref="KindOf"/>).</summary>
    public static string ReadPath(long index, IReadOnlyList<string> paths) =>
        paths[(int)(Math.Min(Uniform(index, 0x5041_5448_53UL) * paths.Count, paths.Count - 1))];

    // SplitMix64's finaliser: consecutive (or strided) indexes give independent-looking values in [0, 1).
    private static double Uniform(long index, ulong salt)
    {
        var z = unchecked((ulong)index * 0x9E37_79B9_7F4A_7C15UL + salt);
        z = unchecked((z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

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
