using Cake.Core.Diagnostics;
using Pipeline.Gates.Canary;
using Pipeline.Metrics;
using Pipeline.Records;

namespace Pipeline.SingleHost;

/// <summary>
/// The single-host judge: the gate area's canary analysis (anytime-valid e-processes, PromoteGate's API) against
/// this environment's Prometheus, which scrapes every instance with a track=stable|canary label and HAProxy's
/// exporter (per-server 5xx and connection errors, charged to each track: <see cref="HaproxyErrorSelectors"/>).
/// Each look's verdict file goes to artifacts/gates like PromoteGate's.
/// </summary>
public sealed class PrometheusCanaryJudge(SingleHostSession session, string? verdictDir) : ICanaryJudge
{
    public async Task<GateVerdict> AssessAsync(CanaryStep step, CancellationToken cancellationToken)
    {
        using var prometheus = new PrometheusMetricsSource(new Uri($"http://127.0.0.1:{session.Config.SingleHost.PrometheusPort}"));
        var verdict = await CanaryAnalysis.AssessAsync(prometheus, session.Config.Gates.Canary, step.CanaryPercent, cancellationToken,
            HaproxyErrorSelectors.Scope(session.Config.Name), stepStartedAt: step.StepStartedAt);
        if (verdictDir is not null && verdict.Verdict != Verdict.Inconclusive) CanaryVerdictRecorder.Write(verdictDir, verdict);
        session.Log.Verbose("canary-{0}: {1} — {2}", step.CanaryPercent, verdict.Verdict, verdict.Summary);
        return verdict.ToGateVerdict();
    }
}
