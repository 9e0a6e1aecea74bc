namespace Gates.Bench.LegacyGate;

/// <summary>
/// The Mann-Whitney U test (Wilcoxon rank-sum), as Kayenta's judge uses it, for the per-interval latency series:
/// distribution-free, so a right-skewed series is compared honestly where a t-test would be misled by one outlier
/// interval. (Error rates are judged on counts instead: <see cref="TwoProportions"/>.) Normal approximation with tie and continuity correction
/// (scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=True)); fine from about 8 samples a side.
/// </summary>
public static class MannWhitney
{
    /// <summary>Compares <paramref name="x"/> (the canary) with <paramref name="y"/> (the baseline).</summary>
    public static MannWhitneyResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count;
        if (n1 == 0 || n2 == 0) throw new ArgumentException("Both samples need at least one value.");
        if (x.Concat(y).Any(v => !double.IsFinite(v))) throw new ArgumentException("Samples must be finite (drop NaN intervals first).");

        var (ranks, tieTerm) = Rank(x.Concat(y).ToArray());
        var r1 = ranks.Take(n1).Sum();
        var u1 = r1 - n1 * (n1 + 1) / 2.0;
        double n = n1 + n2, product = (double)n1 * n2, mean = product / 2;
        // Ties shrink the variance of U: Σ(t³ − t) over tie groups (Lehmann / Conover).
        var variance = product / 12.0 * ((n + 1) - tieTerm / (n * (n - 1)));
        var sd = Math.Sqrt(Math.Max(variance, 0));

        double pGreater, pTwoSided, z;
        if (sd == 0)
        {
            // Every value tied: no evidence either way.
            (z, pGreater, pTwoSided) = (0, 1, 1);
        }
        else
        {
            z = (u1 - mean - 0.5) / sd;
            pGreater = NormalSurvival(z);
            var zTwo = (Math.Max(u1, product - u1) - mean - 0.5) / sd;
            pTwoSided = Math.Min(1, 2 * NormalSurvival(zTwo));
        }
        var rankBiserial = 2 * u1 / product - 1;
        return new MannWhitneyResult(n1, n2, u1, z, pGreater, pTwoSided, rankBiserial, HodgesLehmann(x, y));
    }

    /// <summary>Average ranks (1-based) and the tie term Σ(t³ − t).</summary>
    public static (double[] Ranks, double TieTerm) Rank(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        double tieTerm = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]]) j++;
            var average = (i + j + 2) / 2.0; // ranks i+1 … j+1
            for (var k = i; k <= j; k++) ranks[order[k]] = average;
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        return (ranks, tieTerm);
    }

    /// <summary>Hodges-Lehmann shift: the median of all pairwise differences x_i − y_j (how much larger x is).</summary>
    public static double HodgesLehmann(IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        Median(x.SelectMany(a => y.Select(b => a - b)).ToList());

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>P(Z &gt; z) for a standard normal Z.</summary>
    public static double NormalSurvival(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>Complementary error function (Numerical Recipes' erfcc, fractional error below 1.2e-7 everywhere).</summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
                t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}

/// <param name="U">U of the first sample (the canary), as scipy reports it.</param>
/// <param name="PGreater">One-sided p-value for "the canary is stochastically larger" (worse, for errors and latency).</param>
/// <param name="RankBiserial">2U/(n1·n2) − 1, in [−1, 1]: the share of interval pairs where the canary is worse, minus the share where it is better.</param>
/// <param name="HodgesLehmannShift">Median pairwise difference canary − baseline, in the metric's unit.</param>
public sealed record MannWhitneyResult(int N1, int N2, double U, double Z, double PGreater, double PTwoSided, double RankBiserial, double HodgesLehmannShift);
