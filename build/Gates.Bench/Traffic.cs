namespace Gates.Bench;

/// <summary>One second of one track: requests, 5xx, latency in the app's fine buckets and the old coarse ones, and the sum.</summary>
public sealed class Second
{
    public int Requests, Errors;
    public readonly int[] Fine = new int[Buckets.Fine.Length + 1];     // per bucket (not cumulative); last = +Inf
    public readonly int[] Coarse = new int[Buckets.Coarse.Length + 1];
    public double LatencySum;
}

/// <summary>Bucket bounds: the app's fine buckets (1 ms × 1.25^i, 42 of them) and the coarse ones today's gate read its p99 from.</summary>
public static class Buckets
{
    public static readonly double[] Fine = [.. Enumerable.Range(0, 42).Select(i => Math.Round(0.001 * Math.Pow(1.25, i), 6))];
    public static readonly double[] Coarse = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static int Index(double[] bounds, double x)
    {
        var i = Array.BinarySearch(bounds, x);
        return i >= 0 ? i : ~i; // bounds.Length = +Inf
    }
}

/// <summary>What the canary does differently (none: a healthy canary).</summary>
public sealed record Effect(string Name, double ExtraErrorRate = 0, double TailFactor = 1, double TailAddSeconds = 0)
{
    public static readonly Effect None = new("healthy");
}

/// <summary>
/// Synthetic request streams: 200 req/s through a router that sends each request to the canary with probability w.
/// Latency: log-normal fitted to this app's measured p50 3.6 ms / p99 17.9 ms at 200 req/s (docs/BENCHMARKS.md);
/// both tracks fail 0.1 % of requests. Latency effects act on the canary's slowest 5 % (requests above the healthy
/// p95): ×1.1, ×1.5 or +100 ms.
/// </summary>
public sealed class Traffic(int seed, double rate = 200)
{
    public const double Median = 0.0036, Sigma = 0.69, BaseErrorRate = 0.001;
    public static readonly double P95 = Median * Math.Exp(Sigma * 1.6448536);
    private readonly Random _rng = new(seed);
    private double? _spare;

    public (Second Canary, Second Stable) Next(double canaryShare, Effect effect)
    {
        var c = new Second();
        var s = new Second();
        var n = Poisson(rate);
        for (var i = 0; i < n; i++)
        {
            var canary = _rng.NextDouble() < canaryShare;
            var latency = Median * Math.Exp(Sigma * Normal());
            var errorRate = BaseErrorRate;
            if (canary)
            {
                errorRate += effect.ExtraErrorRate;
                if (latency > P95) latency = latency * effect.TailFactor + effect.TailAddSeconds;
            }
            var t = canary ? c : s;
            t.Requests++;
            if (_rng.NextDouble() < errorRate) t.Errors++;
            t.Fine[Buckets.Index(Buckets.Fine, latency)]++;
            t.Coarse[Buckets.Index(Buckets.Coarse, latency)]++;
            t.LatencySum += latency;
        }
        return (c, s);
    }

    private int Poisson(double lambda)
    {
        // Normal approximation is plenty at λ = 200; keeps the stream cheap.
        return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * Normal()));
    }

    private double Normal()
    {
        if (_spare is { } s) { _spare = null; return s; }
        double u = 1 - _rng.NextDouble(), v = _rng.NextDouble();
        var r = Math.Sqrt(-2 * Math.Log(u));
        _spare = r * Math.Sin(2 * Math.PI * v);
        return r * Math.Cos(2 * Math.PI * v);
    }
}
