using Pipeline.Gates.Canary;

namespace Pipeline.Tests.Gates.Canary;

public class MannWhitneyTests
{
    [Fact]
    public void Matches_scipy_documentation_example()
    {
        // scipy.stats.mannwhitneyu docs (Conover's example): males vs females,
        // method="asymptotic" → statistic 17.0, pvalue 0.11134688653314041 (two-sided).
        var result = MannWhitney.Test([19, 22, 16, 29, 24], [20, 11, 17, 12]);
        Assert.Equal(17.0, result.U);
        Assert.Equal(0.11134688653314041, result.PTwoSided, 1e-6);
    }

    [Fact]
    public void Corrects_for_ties()
    {
        // Hand computation: six zeros tie for ranks 1..6 (average 3.5); 0.2 → 7, 0.3 → 8.
        // R1 = 3.5 + 3.5 + 7 + 8 = 22, U1 = 22 − 4·5/2 = 12, μ = 8.
        // Tie term Σ(t³−t) = 210; σ² = 16/12 · (9 − 210/56) = 7.0.
        // z = (12 − 8 − 0.5)/√7 = 1.32288; P(Z > z) = 0.5·erfc(z/√2) = 0.09293836618293799 (Python math.erfc).
        var result = MannWhitney.Test([0, 0, 0.2, 0.3], [0, 0, 0, 0]);
        Assert.Equal(12.0, result.U);
        Assert.Equal(1.3228756555322954, result.Z, 1e-9);
        Assert.Equal(0.09293836618293799, result.PGreater, 1e-6);
        Assert.Equal(0.5, result.RankBiserial, 12);  // 2·12/16 − 1
    }

    [Fact]
    public void Complete_separation_is_highly_significant()
    {
        // U1 = n1·n2 = 100, μ = 50, σ² = 100·21/12 = 175; z = 49.5/√175 = 3.74178;
        // P(Z > z) = 9.13358955547752e-05 (Python math.erfc).
        var canary = Enumerable.Range(11, 10).Select(i => (double)i).ToList();
        var baseline = Enumerable.Range(1, 10).Select(i => (double)i).ToList();
        var result = MannWhitney.Test(canary, baseline);
        Assert.Equal(100.0, result.U);
        Assert.Equal(9.13358955547752e-05, result.PGreater, 1e-8);
        Assert.Equal(1.0, result.RankBiserial);
        Assert.Equal(10.0, result.HodgesLehmannShift); // every pairwise difference; median of 1..19 spread = 10
    }

    [Fact]
    public void All_values_tied_gives_no_evidence()
    {
        var result = MannWhitney.Test([0, 0, 0, 0, 0], [0, 0, 0, 0, 0]);
        Assert.Equal(1.0, result.PGreater);
        Assert.Equal(0.0, result.RankBiserial);
    }

    [Fact]
    public void Canary_smaller_is_not_significant_one_sided()
    {
        var result = MannWhitney.Test([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]);
        Assert.Equal(0.0, result.U);
        Assert.True(result.PGreater > 0.99);
        Assert.Equal(-1.0, result.RankBiserial);
    }

    [Fact]
    public void Ranks_average_ties()
    {
        var (ranks, tieTerm) = MannWhitney.Rank([10, 20, 20, 30, 20]);
        Assert.Equal([1, 3, 3, 5, 3], ranks);
        Assert.Equal(24, tieTerm); // one group of 3: 27 − 3
    }

    [Theory]
    // Reference values: Abramowitz & Stegun table 7.1 / Python math.erfc.
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.0, 0.004677734981047266)]
    [InlineData(-1.0, 1.8427007929497148)]
    public void Erfc_is_accurate(double x, double expected) =>
        Assert.Equal(expected, MannWhitney.Erfc(x), expected * 2e-7 + 1e-12);

    [Fact]
    public void Hodges_lehmann_is_median_of_pairwise_differences()
    {
        // differences: 3−1=2, 3−2=1, 5−1=4, 5−2=3 → median (2+3)/2 = 2.5
        Assert.Equal(2.5, MannWhitney.HodgesLehmann([3, 5], [1, 2]));
    }

    [Fact]
    public void Rejects_nan_samples() =>
        Assert.Throws<ArgumentException>(() => MannWhitney.Test([double.NaN, 1], [1, 2]));
}
