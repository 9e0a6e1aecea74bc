namespace Gates.Bench.LegacyGate;

/// <summary>
/// Compares two error proportions from request COUNTS (each request is a Bernoulli trial: 5xx or not). This is
/// what the error-rate judgement needs: 30 canary requests a second over a 20-s window are 600 trials, where the
/// per-interval ratios a rank test would compare are only 10 samples — a 50 % error canary stayed "not yet
/// significant" for the whole inconclusive timeout that way.
/// The p-value is Fisher's exact test (one-sided, "canary proportion greater"), exact at any count, including the
/// usual case of zero errors on the stable track where the normal approximation of the z-test is poorest.
/// The pooled z statistic is reported alongside for readers used to it; the effect size is Cohen's h.
/// </summary>
public static class TwoProportions
{
    /// <param name="x1">Errors of the canary.</param><param name="n1">Requests of the canary.</param>
    /// <param name="x2">Errors of the baseline.</param><param name="n2">Requests of the baseline.</param>
    public static TwoProportionResult Test(long x1, long n1, long x2, long n2)
    {
        if (n1 <= 0 || n2 <= 0) throw new ArgumentException("Both tracks need at least one request.");
        if (x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) throw new ArgumentException($"Error counts must lie in 0..requests (got {x1}/{n1}, {x2}/{n2}).");
        double p1 = (double)x1 / n1, p2 = (double)x2 / n2;
        return new TwoProportionResult(x1, n1, x2, n2, p1, p2, PooledZ(x1, n1, x2, n2), FisherExactGreater(x1, n1, x2, n2), CohensH(p1, p2));
    }

    /// <summary>
    /// One-sided Fisher exact p: P(X ≥ x1) for X hypergeometric (N = n1 + n2 requests, K = x1 + x2 errors,
    /// n1 drawn for the canary) — the chance that, if both tracks had the same error rate, the canary would get
    /// at least this many of the errors. Same value as R's fisher.test(alternative = "greater").
    /// </summary>
    public static double FisherExactGreater(long x1, long n1, long x2, long n2)
    {
        long n = n1 + n2, k = x1 + x2;
        long low = Math.Max(0, k - n2), high = Math.Min(k, n1);
        if (x1 <= low) return 1;
        var mode = (long)Math.Floor((n1 + 1.0) * (k + 1.0) / (n + 2.0));
        // Sum from the largest term of the tail outwards (terms only shrink), so nothing underflows before it counts.
        if (x1 > mode) return Math.Min(1, SumTail(x1, high, +1, n1, k, n));
        return Math.Max(0, 1 - SumTail(x1 - 1, low, -1, n1, k, n));
    }

    // Σ pmf(i) for i from `from` towards `to` (direction ±1), using pmf(i+1)/pmf(i) = (K−i)(n1−i) / ((i+1)(N−K−n1+i+1)).
    private static double SumTail(long from, long to, int direction, long n1, long k, long n)
    {
        var term = Math.Exp(LogChoose(k, from) + LogChoose(n - k, n1 - from) - LogChoose(n, n1));
        double sum = 0;
        for (var i = from; direction > 0 ? i <= to : i >= to; i += direction)
        {
            sum += term;
            if (term < sum * 1e-17) break;
            term *= direction > 0
                ? (double)(k - i) * (n1 - i) / ((i + 1.0) * (n - k - n1 + i + 1.0))
                : (double)i * (n - k - n1 + i) / ((double)(k - i + 1) * (n1 - i + 1));
        }
        return sum;
    }

    /// <summary>Pooled two-proportion z: (p1 − p2) / √(p(1−p)(1/n1 + 1/n2)), p = (x1 + x2)/(n1 + n2); 0 when p is 0 or 1 (no variance, no evidence).</summary>
    public static double PooledZ(long x1, long n1, long x2, long n2)
    {
        var p = (double)(x1 + x2) / (n1 + n2);
        var se = Math.Sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
        return se > 0 ? ((double)x1 / n1 - (double)x2 / n2) / se : 0;
    }

    /// <summary>
    /// Cohen's h = 2·asin√p1 − 2·asin√p2: the effect size for two proportions (0.2 small, 0.5 medium, 0.8 large).
    /// Defined at p2 = 0, where a relative increase is not; the arcsine also weights a rise from 0 % to 1 % more
    /// than one from 20 % to 21 %, which is how a rise in errors is felt.
    /// </summary>
    public static double CohensH(double p1, double p2) => 2 * Math.Asin(Math.Sqrt(p1)) - 2 * Math.Asin(Math.Sqrt(p2));

    public static double LogChoose(long n, long k) => LogGamma(n + 1.0) - LogGamma(k + 1.0) - LogGamma(n - k + 1.0);

    /// <summary>ln Γ(x) for x &gt; 0: Lanczos approximation (g = 7, 9 coefficients), relative error about 1e-15.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        var a = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++) a += Lanczos[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
}

/// <param name="P1">Canary error proportion x1/n1.</param>
/// <param name="P2">Baseline error proportion x2/n2.</param>
/// <param name="Z">Pooled two-proportion z (informational).</param>
/// <param name="PGreater">One-sided Fisher exact p for "the canary's error proportion is greater".</param>
/// <param name="CohensH">Effect size 2·asin√P1 − 2·asin√P2.</param>
public sealed record TwoProportionResult(long X1, long N1, long X2, long N2, double P1, double P2, double Z, double PGreater, double CohensH);
