namespace Pipeline.Gates.Canary.Statistics;

/// <summary>Events (5xx, or requests slower than a bound) and the requests they came from, per track, counted since the step began.</summary>
public readonly record struct EventCounts(long CanaryEvents, long CanaryRequests, long StableEvents, long StableRequests)
{
    public double CanaryRate => CanaryRequests > 0 ? (double)CanaryEvents / CanaryRequests : double.NaN;
    public double StableRate => StableRequests > 0 ? (double)StableEvents / StableRequests : double.NaN;
    /// <summary>The canary's share of the traffic both tracks served: its share of events when it is no worse.</summary>
    public double CanaryShare => CanaryRequests + StableRequests > 0 ? (double)CanaryRequests / (CanaryRequests + StableRequests) : double.NaN;
}

/// <summary>
/// The regression worth a rollback: the canary's event rate above <c>Ratio</c> × stable's AND more than
/// <c>Increase</c> (absolute) above it. The ratio is what the e-process tests exactly; the absolute increase keeps
/// "0.02 % vs 0.01 %" (ratio 2, harmless) from ever failing a release and lets a zero-error stable be compared at all.
/// </summary>
public readonly record struct RegressionMargin(double Ratio, double Increase);

/// <summary>Everything a verdict records about one metric: statistic, boundary, exposure and the figures.</summary>
public sealed record RegressionResult(
    EventCounts Counts, RegressionMargin Margin,
    double NullShare, double LogEValue, double FailBoundary, bool Fail,
    double PassBound, double LogPassEValue, double PassBoundary, bool BelowMargin)
{
    public double EValue => Math.Exp(LogEValue);
    public double PassEValue => Math.Exp(LogPassEValue);
    public double Excess => Counts.CanaryRate - Counts.StableRate;
}

/// <summary>
/// One metric's anytime-valid decision (<see cref="BetaMixture"/>):
/// <list type="bullet">
/// <item>Fail when the e-value of "the canary's share of all events exceeds ρ0" (<see cref="BetaMixture.LogEValueFail"/>) reaches 1/α, where ρ0 = w·r / (w·r + 1 − w)
/// is the share the canary would have at exactly Ratio × stable's rate with traffic share w (conditional on the total
/// events — Lindon &amp; Malek's Poisson-process reduction), AND the observed excess rate is above Increase. The
/// extra condition can only remove Fails, so the false-Fail probability stays ≤ α.</item>
/// <item>Below margin when the canary's own rate is shown (e-value of H0: rate ≥ bound reaching 1/passRisk, the
/// dual confidence sequence) to be under bound = max(Ratio × stable, stable + Increase), with stable's rate as
/// measured (stable serves (1−w)/w times the canary's traffic, so its estimate is the tighter one; documented as a
/// plug-in in docs/GATES.md).</item>
/// </list>
/// </summary>
public static class EventRegression
{
    public static RegressionResult Assess(EventCounts c, RegressionMargin margin, double alpha, double passRisk)
    {
        if (margin.Ratio < 1) throw new ArgumentOutOfRangeException(nameof(margin), "the ratio margin must be at least 1");
        var failBoundary = Math.Log(1 / alpha);
        var passBoundary = Math.Log(1 / passRisk);
        var w = c.CanaryShare;
        double nullShare = double.NaN, logE = 0;
        if (double.IsFinite(w) && w is > 0 and < 1)
        {
            nullShare = w * margin.Ratio / (w * margin.Ratio + 1 - w);
            if (nullShare < 1) logE = BetaMixture.LogEValueFail(c.CanaryEvents, c.CanaryEvents + c.StableEvents, nullShare);
        }
        var excess = c.CanaryRate - c.StableRate;
        var fail = logE >= failBoundary && excess > margin.Increase;

        var stable = double.IsFinite(c.StableRate) ? c.StableRate : 0;
        var bound = Math.Min(Math.Max(margin.Ratio * stable, stable + margin.Increase), 0.999);
        var logPass = c.CanaryRequests > 0 && bound > 0 ? BetaMixture.LogEValueBelow(c.CanaryEvents, c.CanaryRequests, bound) : 0;
        return new RegressionResult(c, margin, nullShare, logE, failBoundary, fail, bound, logPass, passBoundary, logPass >= passBoundary);
    }
}
