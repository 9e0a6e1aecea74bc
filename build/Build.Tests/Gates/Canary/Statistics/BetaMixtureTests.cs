using Pipeline.Gates.Canary.Statistics;

namespace Pipeline.Tests.Gates.Canary.Statistics;

public class BetaMixtureTests
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

    [Fact]
    public void No_events_is_no_evidence() => Assert.Equal(1.0, BetaMixture.EValueAbove(0, 0, 0.1));

    [Fact]
    public void Rejects_impossible_counts_and_boundaries()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaMixture.EValueAbove(5, 4, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaMixture.EValueAbove(1, 4, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaMixture.EValueAbove(1, 4, 0));
    }

    /// <summary>
    /// The property the gate stands on: looked at after every single event, the probability that the e-value EVER
    /// reaches 1/α under the null is at most α (Ville). A fixed-alpha test looked at this often fails far more.
    /// </summary>
    [Fact]
    public void Looking_after_every_event_keeps_the_false_alarm_rate_within_alpha()
    {
        const double alpha = 0.05, rho0 = 0.1;
        var rng = new Random(20221128);
        int runs = 2000, alarms = 0;
        for (var r = 0; r < runs; r++)
        {
            long x = 0;
            for (long n = 1; n <= 300; n++)
            {
                if (rng.NextDouble() < rho0) x++;
                if (BetaMixture.LogEValueAbove(x, n, rho0) >= Math.Log(1 / alpha)) { alarms++; break; }
            }
        }
        Assert.InRange(alarms / (double)runs, 0, alpha);
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
