namespace Pipeline.Gates.Canary.Statistics;

/// <summary>
/// A cumulative latency histogram as Prometheus exposes it (count of requests ≤ each bound <c>le</c>, the last
/// bound +Inf), here counted since the step began. The latency test and the p50/p99 the verdict reports both come
/// from these buckets, so a reported regression is always one the test saw.
/// </summary>
public sealed class BucketHistogram
{
    public static readonly BucketHistogram Empty = new([]);

    public BucketHistogram(IEnumerable<(double Le, double Count)> buckets)
    {
        Buckets = buckets.OrderBy(b => b.Le).ToList();
    }

    public IReadOnlyList<(double Le, double Count)> Buckets { get; }

    public double Total => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

    /// <summary>Requests slower than <paramref name="le"/> (which must be one of the bounds: no interpolation).</summary>
    public long CountAbove(double le)
    {
        foreach (var (bound, count) in Buckets)
            if (bound == le) return (long)Math.Round(Total - count);
        return 0;
    }

    /// <summary>
    /// The smallest finite bucket bound at or above <paramref name="seconds"/>; null when none is (the +Inf bucket).
    /// Counting "slower than" a bound at or above b + m is what makes a practical margin m exact in bucket counts.
    /// </summary>
    public double? BoundAtOrAbove(double seconds)
    {
        foreach (var (le, _) in Buckets)
            if (le >= seconds && !double.IsPositiveInfinity(le)) return le;
        return null;
    }

    /// <summary>
    /// The smallest bucket bound with at least q of the requests at or below it: the latency bound a test "slower than
    /// b" uses, so the event is exact in bucket counts. Null with no requests or when q falls in the +Inf bucket.
    /// </summary>
    public double? BoundAtQuantile(double q)
    {
        if (Total <= 0) return null;
        foreach (var (le, count) in Buckets)
            if (count >= q * Total) return double.IsPositiveInfinity(le) ? null : le;
        return null;
    }

    /// <summary>Quantile by linear interpolation inside its bucket (Prometheus' histogram_quantile rule); NaN when empty.</summary>
    public double Quantile(double q)
    {
        if (Total <= 0) return double.NaN;
        var rank = q * Total;
        double previousLe = 0, previousCount = 0;
        foreach (var (le, count) in Buckets)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(le)) return previousLe; // above the last finite bound: report that bound
                return count == previousCount ? le : previousLe + (le - previousLe) * (rank - previousCount) / (count - previousCount);
            }
            previousLe = le;
            previousCount = count;
        }
        return previousLe;
    }
}
