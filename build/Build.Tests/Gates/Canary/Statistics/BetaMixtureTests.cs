using Pipeline.Gates.Canary.Statistics;
using Xunit.Abstractions;

namespace Pipeline.Tests.Gates.Canary.Statistics;

public class BetaMixtureTests(ITestOutputHelper output)
{
    // Reference values: the mixture integral ∫ ρ^x (1-ρ)^(n-x) π(ρ) dρ / (ρ0^x (1-ρ0)^(n-x)) with π truncated to one
    // side of ρ0 (above: Beta(2ρ0, 2(1-ρ0)); below: Beta(½, ½)), computed with mpmath at 40 digits — independent of MathNet: above ρ0 by quadrature,
    // below ρ0 with mpmath's incomplete Beta integral (quadrature is unreliable at the p^(2ρ0−1) singularity at 0).
    [Theory]
    [InlineData(5, 6, 0.1, true, 1034.90793607442)]
    [InlineData(3, 40, 0.1, true, 0.188964379216921)]
    [InlineData(12, 40, 0.1, true, 143.829301000038)]
    [InlineData(30, 100, 0.143, true, 734.148791670872)]
    [InlineData(0, 200, 0.05, false, 7922.50560461392)]
    [InlineData(2, 300, 0.02, false, 3.00811883741721)]
    [InlineData(0, 100, 0.01, false, 2.0381303922933)]
    [InlineData(0, 400, 0.01, false, 24.5238713952065)]
    [InlineData(4, 400, 0.03, false, 14.170146359342)]
    public void Closed_form_matches_numeric_integration(long x, long n, double rho0, bool above, double expected)
    {
        var e = above ? BetaMixture.EValueAbove(x, n, rho0) : BetaMixture.EValueBelow(x, n, rho0);
        Assert.Equal(expected, e, expected * 1e-7);
    }

    [Fact]
    public void Closed_form_matches_MathNet_quadrature_across_a_grid()
    {
        foreach (var rho0 in new[] { 0.05, 0.2, 0.5 })
            foreach (var (x, n) in new[] { (0L, 10L), (4L, 10L), (10L, 30L), (1L, 50L) })
            {
                double a = 2 * rho0, b = 2 * (1 - rho0);
                double Density(double p, long k, long m) => Math.Pow(p, k + a - 1) * Math.Pow(1 - p, m - k + b - 1);
                var numeric = MathNet.Numerics.Integrate.OnClosedInterval(p => Density(p, x, n), rho0, 1, 1e-12)
                    / MathNet.Numerics.Integrate.OnClosedInterval(p => Density(p, 0, 0), rho0, 1, 1e-12)
                    / (Math.Pow(rho0, x) * Math.Pow(1 - rho0, n - x));
                Assert.Equal(numeric, BetaMixture.EValueAbove(x, n, rho0), numeric * 1e-3); // MathNet's double-exponential rule: ~1e-4 here
            }
    }

    // The e-value the gate fails on: ½ Beta mixture (κ = 2, quadrature above) + ½ the mean of the point likelihood
    // ratios at odds ratios 2, 4, … 128 over ρ0's odds — both halves computed with mpmath at 40 digits.
    [Theory]
    [InlineData(4, 4, 0.2 / 1.1, 227.473280888754)]        // 4 errors, all the canary's, 10 % canary at margin ×2
    [InlineData(5, 6, 0.1, 2320.20544469636)]
    [InlineData(3, 40, 0.1, 0.107234451209267)]
    [InlineData(12, 40, 0.1, 114.531635253474)]
    [InlineData(30, 100, 0.143, 513.191406061315)]
    [InlineData(0, 10, 0.2, 0.107994423276667)]
    [InlineData(6, 9, 0.075 / 1.025, 7329.94462924566)]      // 5 % canary at margin ×1.5: a slow tail above p99.9
    public void Fail_side_is_the_average_of_the_Beta_mixture_and_the_odds_grid(long x, long n, double rho0, double expected)
    {
        Assert.Equal(expected, BetaMixture.EValueFail(x, n, rho0), expected * 1e-7);
        Assert.Equal(expected, (BetaMixture.EValueAbove(x, n, rho0) + Math.Exp(BetaMixture.LogEValueAboveOddsGrid(x, n, rho0))) / 2, expected * 1e-7);
    }

    [Fact]
    public void An_outage_crosses_sooner_with_the_odds_grid_in_the_mixture()
    {
        // 10 % canary, margin ×2, α = 0.05 / 3 steps / 2 (errors' half): 1/α = 120. Four errors, all the canary's,
        // are enough for the averaged e-value (227) but not for the Beta mixture alone (86): an outage is stopped
        // one error sooner.
        var rho0 = 0.2 / 1.1;
        Assert.True(BetaMixture.LogEValueFail(4, 4, rho0) >= Math.Log(120));
        Assert.True(BetaMixture.LogEValueAbove(4, 4, rho0) < Math.Log(120));
        // Near the margin the average costs at most ln 2 against the Beta mixture alone.
        foreach (var (x, n) in new[] { (30L, 100L), (60L, 200L), (12L, 40L) })
            Assert.True(BetaMixture.LogEValueFail(x, n, 0.143) >= BetaMixture.LogEValueAbove(x, n, 0.143) - Math.Log(2) - 1e-12);
    }

    [Fact]
    public void No_events_is_no_evidence()
    {
        Assert.Equal(1.0, BetaMixture.EValueAbove(0, 0, 0.1));
        Assert.Equal(1.0, BetaMixture.EValueFail(0, 0, 0.1));
    }

    [Fact]
    public void Rejects_impossible_counts_and_boundaries()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaMixture.EValueAbove(5, 4, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaMixture.EValueAbove(1, 4, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaMixture.EValueAbove(1, 4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaMixture.EValueFail(5, 4, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaMixture.EValueFail(1, 4, 1.0));
    }

    /// <summary>
    /// The property the gate stands on: looked at after every single event, the probability that the e-value EVER
    /// reaches 1/α under the null is at most α (Ville). A fixed-alpha test looked at this often fails far more.
    /// </summary>
    [Fact]
    public void Looking_after_every_event_keeps_the_false_alarm_rate_within_alpha()
    {
        const double alpha = 0.05, rho0 = 0.1;
        var rate = AlarmRate((x, n) => BetaMixture.LogEValueAbove(x, n, rho0), rho0, events: 300, alpha, seed: 20221128);
        Assert.InRange(rate, 0, alpha);
    }

    /// <summary>Share of 2,000 sequences (events the canary's with probability <paramref name="truth"/>) whose e-value ever reaches 1/α.</summary>
    private static double AlarmRate(Func<long, long, double> logE, double truth, int events, double alpha, int seed)
    {
        var rng = new Random(seed);
        const int runs = 2000;
        var alarms = 0;
        for (var r = 0; r < runs; r++)
        {
            long x = 0;
            for (long n = 1; n <= events; n++)
            {
                if (rng.NextDouble() < truth) x++;
                if (logE(x, n) >= Math.Log(1 / alpha)) { alarms++; break; }
            }
        }
        return alarms / (double)runs;
    }

    /// <summary>
    /// The same property for the e-value the gate fails on, at the boundary and inside the composite null (ρ below
    /// ρ0: the canary better than the margin), at the boundary shares the gate uses (10 % and 5 % canaries at the
    /// error margin ×2, a 25 % canary at the latency margin ×1.5), looked at after each of 200 events. 2,000
    /// sequences per case: the standard error of an alarm rate of 5 % is 0.49 points. Measured: 2.5 %, 3.3 %, 3.4 %
    /// at the boundary, 0.3 % inside the null.
    /// </summary>
    [Theory]
    [InlineData(0.2 / 1.1, 0.2 / 1.1)]
    [InlineData(0.1 / 1.05, 0.1 / 1.05)]
    [InlineData(0.375 / 1.125, 0.375 / 1.125)]
    [InlineData(0.2 / 1.1, 0.1)]
    public void The_fail_side_looked_at_after_every_event_keeps_false_alarms_within_alpha(double rho0, double truth)
    {
        const double alpha = 0.05;
        var rate = AlarmRate((x, n) => BetaMixture.LogEValueFail(x, n, rho0), truth, events: 200, alpha, seed: 20240917);
        output.WriteLine($"rho0={rho0:0.###} truth={truth:0.###}: {rate:P1} of 2,000 sequences crossed 1/α, α = {alpha:P0}");
        Assert.InRange(rate, 0, alpha);
    }

    [Fact]
    public void A_clear_shift_is_detected_within_a_few_dozen_events()
    {
        var rng = new Random(7);
        long x = 0, n = 0;
        while (BetaMixture.LogEValueAbove(x, n, 0.1) < Math.Log(1 / 0.01) && n < 1000)
        {
            n++;
            if (rng.NextDouble() < 0.5) x++;
        }
        Assert.InRange(n, 1, 40);
    }
}
