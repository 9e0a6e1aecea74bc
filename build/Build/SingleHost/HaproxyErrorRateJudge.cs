using System.Globalization;
using Pipeline.Records;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>
/// Built-in judge used until (and unless) the gate's Prometheus-based judge is plugged in: compares the
/// 5xx ratio of canary servers with stable servers from HAProxy's own per-server counters since the step
/// started. Too few canary responses → inconclusive, never a pass.
/// </summary>
public sealed class HaproxyErrorRateJudge(SingleHostSession session, LoadBalancer lb, Func<IReadOnlyCollection<int>> canarySlots) : ICanaryJudge
{
    private Dictionary<string, (long Total, long Errors)> _baseline = new();

    /// <summary>Called when a step begins, so counters are compared over the step only.</summary>
    public void MarkStepStart() => _baseline = lb.ResponseCounters();

    public Task<GateVerdict> AssessAsync(CanaryStep step, CancellationToken cancellationToken)
    {
        var gate = session.Config.Gates.Canary;
        var now = lb.ResponseCounters();
        var canary = canarySlots().Select(SingleHostLayout.ServerOf).ToHashSet();
        (long total, long errors) Sum(Func<string, bool> pick)
        {
            long t = 0, e = 0;
            foreach (var (server, c) in now.Where(p => pick(p.Key)))
            {
                var b = _baseline.GetValueOrDefault(server);
                t += c.Total - b.Total;
                e += c.Errors - b.Errors;
            }
            return (t, e);
        }
        var (ct, ce) = Sum(canary.Contains);
        var (st, se) = Sum(s => !canary.Contains(s));
        var cRate = ct == 0 ? 0 : (double)ce / ct;
        var sRate = st == 0 ? 0 : (double)se / st;
        var figures = new Dictionary<string, double> { ["canaryRequests"] = ct, ["canaryErrorRate"] = cRate, ["stableRequests"] = st, ["stableErrorRate"] = sRate };
        var name = $"canary-{step.CanaryPercent}";
        GateVerdict verdict =
            cRate - sRate > gate.MaxErrorRateIncrease && ce >= 3
                ? new(name, Verdict.Fail, $"canary 5xx {cRate.ToString("P1", CultureInfo.InvariantCulture)} vs stable {sRate.ToString("P1", CultureInfo.InvariantCulture)} over {ct} requests", figures)
            : ct < gate.MinSamples
                ? new(name, Verdict.Inconclusive, $"{ct} canary requests < minSamples {gate.MinSamples}", figures)
            : new(name, Verdict.Pass, $"canary 5xx {cRate.ToString("P1", CultureInfo.InvariantCulture)} vs stable {sRate.ToString("P1", CultureInfo.InvariantCulture)} over {ct} requests", figures);
        return Task.FromResult(verdict);
    }
}
