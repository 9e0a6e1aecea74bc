using Pipeline.Gates.Canary;

namespace Pipeline.Tests.Gates.Canary;

/// <summary>
/// Known values: Fisher p computed exactly in Python with integer binomials,
/// <c>Fraction(sum(comb(K,k)*comb(N-K,n1-k) for k in range(x1, min(K,n1)+1)), comb(N,n1))</c>;
/// z with <c>(x1/n1 - x2/n2)/sqrt(p*(1-p)*(1/n1+1/n2))</c>; ln Γ with <c>math.lgamma</c>.
/// </summary>
public class TwoProportionsTests
{
    [Fact]
    public void Fisher_lady_tasting_tea()
    {
        // Fisher (1935): 3 of 4 milk-first cups identified, table [[3,1],[1,3]];
        // one-sided p = 17/70 (R: fisher.test(TeaTasting, alternative = "greater") → 0.2429).
        Assert.Equal(17.0 / 70, TwoProportions.FisherExactGreater(3, 4, 1, 4), 1e-12);
    }

    [Theory]
    [InlineData(2, 100, 0, 2000, 0.002245967467501531)]   // = 33/14693: 2 errors in 100 canary requests, none in 2000 stable
    [InlineData(2, 100, 2, 2000, 0.012651069522735963)]
    [InlineData(12, 100, 5, 100, 0.06308943063184523)]
    [InlineData(1, 600, 0, 2000, 0.23076923076923078)]     // = 3/13: one error is no evidence
    [InlineData(10, 300, 10, 1000, 0.007297378754931691)]
    [InlineData(5, 300, 30, 1000, 0.9341553365432244)]     // canary better than stable: lower tail branch
    [InlineData(150, 600, 0, 2000, 3.3179320131484174e-103)] // 25 % errors vs none: far tail, no underflow
    public void Fisher_matches_exact_rational_computation(long x1, long n1, long x2, long n2, double expected) =>
        Assert.Equal(expected, TwoProportions.FisherExactGreater(x1, n1, x2, n2), expected * 1e-9);

    [Fact]
    public void Fisher_without_canary_errors_is_one() =>
        Assert.Equal(1.0, TwoProportions.FisherExactGreater(0, 100, 3, 2000));

    [Fact]
    public void Fisher_is_a_probability_even_when_the_tail_underflows()
    {
        var p = TwoProportions.FisherExactGreater(600, 3000, 5, 10000); // exact value < 1e-308
        Assert.InRange(p, 0, 1e-300);
    }

    [Theory]
    [InlineData(12, 100, 5, 100, 1.7748556290633892)]
    [InlineData(2, 100, 0, 2000, 6.3275691662644675)]
    [InlineData(3, 4, 1, 4, 1.414213562373095)]
    public void Pooled_z_matches_hand_computation(long x1, long n1, long x2, long n2, double expected) =>
        Assert.Equal(expected, TwoProportions.PooledZ(x1, n1, x2, n2), 1e-12);

    [Fact]
    public void Pooled_z_one_sided_p_for_textbook_example()
    {
        // 12/100 vs 5/100: z = 1.7749, one-sided P(Z > z) = 0.03796086413450965 (0.5·math.erfc(z/√2)).
        // Fisher's exact p for the same table is 0.0631: the exact test is the more cautious one.
        var z = TwoProportions.PooledZ(12, 100, 5, 100);
        Assert.Equal(0.03796086413450965, MannWhitney.NormalSurvival(z), 1e-7);
    }

    [Fact]
    public void Pooled_z_is_zero_without_any_errors() => Assert.Equal(0, TwoProportions.PooledZ(0, 100, 0, 2000));

    [Theory]
    [InlineData(0.5, 0.25, 0.5235987755982989)] // = π/2 − π/3 = π/6
    [InlineData(0.01, 0, 0.2003348423231196)]   // 0 % → 1 %: just above the 0.2 floor
    [InlineData(0.2, 0, 0.9272952180016122)]
    [InlineData(0.5, 0, 1.5707963267948968)]    // = π/2
    public void Cohens_h(double p1, double p2, double expected) =>
        Assert.Equal(expected, TwoProportions.CohensH(p1, p2), 1e-12);

    [Theory]
    [InlineData(0.5, 0.5723649429247004)]
    [InlineData(1, 0)]
    [InlineData(1.5, -0.12078223763524543)]
    [InlineData(10, 12.801827480081467)]
    [InlineData(101, 363.73937555556347)]
    [InlineData(2100.5, 13965.273428486114)]
    [InlineData(100001, 1051299.221899122)]
    public void LogGamma_matches_python(double x, double expected) =>
        Assert.Equal(expected, TwoProportions.LogGamma(x), Math.Max(1e-12, Math.Abs(expected) * 1e-14));

    [Fact]
    public void Test_bundles_everything()
    {
        var r = TwoProportions.Test(2, 100, 0, 2000);
        Assert.Equal(0.02, r.P1);
        Assert.Equal(0, r.P2);
        Assert.Equal(0.002245967467501531, r.PGreater, 1e-12);
        Assert.Equal(2 * Math.Asin(Math.Sqrt(0.02)), r.CohensH, 12);
    }

    [Fact]
    public void Rejects_impossible_counts()
    {
        Assert.Throws<ArgumentException>(() => TwoProportions.Test(0, 0, 0, 100));
        Assert.Throws<ArgumentException>(() => TwoProportions.Test(101, 100, 0, 100));
    }
}
