namespace Gates.Bench;

/// <summary>
/// How fast ANY error test could be, at one second t, if it kept its false Fails at the ratio margin within α: an
/// upper bound on P(Fail by t) for the bench's error effects, to tell "slow gate" from "not enough errors yet".
/// <list type="bullet">
/// <item><see cref="Conditional"/>: the most powerful test given the number of errors on both tracks (Binomial
/// x of n with null share ρ0 = w·r/(w·r + 1 − w), randomized at the boundary) — the uniformly most powerful unbiased
/// test for two Poisson rates, exact for every stable rate. The gate's e-process conditions the same way.</item>
/// <item><see cref="StableKnown"/>: Neyman-Pearson with stable's rate given exactly (canary errors alone, null rate
/// r × stable's): no test valid at that null point can do better at second t, whatever it looks at.</item>
/// </list>
/// Both spend all of α on that single second; a gate that must stay valid at every other second, metric and step
/// can only do worse. <see cref="MaxLikelihoodRatio"/> bounds the gate's own family (mixtures of likelihood ratios)
/// looked at every second. Errors per second are Poisson (the bench's streams are, to within their normal approximation).
/// </summary>
public static class Reach
{
    public static double Conditional(double weight, double extraErrorRate, double ratio, int seconds, double alpha, double rate = 200)
    {
        double lc = rate * weight * (Traffic.BaseErrorRate + extraErrorRate) * seconds;
        double ls = rate * (1 - weight) * Traffic.BaseErrorRate * seconds;
        double rho0 = weight * ratio / (weight * ratio + 1 - weight), rho = lc / (lc + ls);
        double total = 0;
        for (var n = 0; n < 4 * (lc + ls) + 40; n++)
            total += PoissonPmf(lc + ls, n) * Power(n, rho0, rho, alpha, BinomialPmf);
        return total;
    }

    public static double StableKnown(double weight, double extraErrorRate, double ratio, int seconds, double alpha, double rate = 200)
    {
        double requests = rate * weight * seconds;
        double l0 = requests * ratio * Traffic.BaseErrorRate, l1 = requests * (Traffic.BaseErrorRate + extraErrorRate);
        // Reject k and above (randomized at k − 1) with P0 ≤ α; the likelihood ratio is increasing in k.
        var k = 0;
        var tail0 = 1.0;
        while (tail0 > alpha) tail0 -= PoissonPmf(l0, k++);
        double power = 0;
        for (var j = k; j < k + 10 * (l1 + 10); j++) power += PoissonPmf(l1, j);
        return power + (k > 0 ? (alpha - tail0) / PoissonPmf(l0, k - 1) * PoissonPmf(l1, k - 1) : 0);
    }

    /// <summary>
    /// Share of the bench's own first-step streams in which the likelihood ratio at its maximum over ρ ≥ ρ0 (the
    /// realized share's ρ0, as the gate computes it) reaches 1/α at some look from <paramref name="firstLook"/> to
    /// <paramref name="seconds"/>: an upper bound for every e-value that is a mixture of likelihood ratios (any
    /// prior, any grid, the gate's included), which must also stay valid at every other look.
    /// </summary>
    public static double MaxLikelihoodRatio(double weight, Effect effect, double ratio, int seconds, double alpha, int runs = 4000, int firstLook = 4)
    {
        var crossed = 0;
        for (var run = 0; run < runs; run++)
        {
            var traffic = new Traffic(700_000 + run);
            long ce = 0, cn = 0, se = 0, sn = 0;
            for (var t = 1; t <= seconds; t++)
            {
                var (c, st) = traffic.Next(weight, effect);
                ce += c.Errors; cn += c.Requests; se += st.Errors; sn += st.Requests;
                if (t < firstLook || cn == 0) continue;
                double w = (double)cn / (cn + sn), rho0 = w * ratio / (w * ratio + 1 - w);
                long x = ce, n = ce + se;
                if (n == 0) continue;
                var p = Math.Max((double)x / n, rho0);
                var logLr = (x > 0 ? x * Math.Log(p / rho0) : 0) + (n - x > 0 ? (p < 1 ? (n - x) * Math.Log((1 - p) / (1 - rho0)) : double.NegativeInfinity) : 0);
                if (logLr >= Math.Log(1 / alpha)) { crossed++; break; }
            }
        }
        return (double)crossed / runs;
    }

    // Most powerful level-α test of Binomial(n, ρ0) against ρ > ρ0: reject x ≥ k, randomized at k − 1.
    private static double Power(int n, double rho0, double rho, double alpha, Func<int, int, double, double> pmf)
    {
        double tail0 = 0;
        var k = n + 1;
        while (k - 1 >= 0 && tail0 + pmf(n, k - 1, rho0) <= alpha) tail0 += pmf(n, --k, rho0);
        double power = 0;
        for (var j = k; j <= n; j++) power += pmf(n, j, rho);
        if (k - 1 >= 0) power += (alpha - tail0) / pmf(n, k - 1, rho0) * pmf(n, k - 1, rho);
        return power;
    }

    private static double PoissonPmf(double lambda, int k) => Math.Exp(-lambda + k * Math.Log(lambda) - LogFactorial(k));
    private static double BinomialPmf(int n, int k, double p) =>
        Math.Exp(LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k) + k * Math.Log(p) + (n - k) * Math.Log(1 - p));
    private static double LogFactorial(int k)
    {
        double s = 0;
        for (var i = 2; i <= k; i++) s += Math.Log(i);
        return s;
    }
}
