namespace Pipeline.SingleHost;

/// <summary>
/// HAProxy weights (0–256 per server) that give the canary set a share of the traffic: the share is
/// canaryCount × wc / (canaryCount × wc + stableCount × ws), so per-server weights are divided by each
/// set's size.
/// </summary>
public static class TrafficWeights
{
    public const int Scale = 2; // 100 % × 2 = 200 ≤ 256, enough resolution for a 1 % step on one server

    public static (int Stable, int Canary) For(int canaryPercent, int stableCount, int canaryCount)
    {
        if (canaryPercent is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(canaryPercent));
        if (canaryCount == 0) return (100, 0);
        if (stableCount == 0) return (0, 100);
        var stable = (int)Math.Round((100 - canaryPercent) * Scale / (double)stableCount);
        var canary = (int)Math.Round(canaryPercent * Scale / (double)canaryCount);
        // Never round a non-zero share down to weight 0 (that would silently mean "no traffic").
        if (canaryPercent > 0 && canary == 0) canary = 1;
        if (canaryPercent < 100 && stable == 0) stable = 1;
        return (stable, canary);
    }
}
