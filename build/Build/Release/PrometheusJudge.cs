using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Gates.Canary;
using Pipeline.Metrics;
using Pipeline.Records;
using Pipeline.SingleHost;

namespace Pipeline.Release;

/// <summary>
/// The canary judge for a target whose Prometheus is given by address (Kubernetes: kubernetes.prometheusUrl): the
/// gate's own analysis and PromQL — the PodMonitor relabels <c>track</c> so the queries are those of the single host;
/// the proxy's errors per track come from gates.canary.proxyErrors (empty: none).
/// Each decisive look's verdict file goes to artifacts/gates like PromoteGate's.
/// </summary>
public sealed class PrometheusJudge(Uri prometheus, CanaryGateConfig config, string? verdictDir, ICakeLog log) : ICanaryJudge
{
    public Uri Address => prometheus;

    public async Task<GateVerdict> AssessAsync(CanaryStep step, CancellationToken cancellationToken)
    {
        using var metrics = new PrometheusMetricsSource(prometheus);
        var scope = CanaryScope.Any with { ProxyErrors = config.ProxyErrors };
        var verdict = await CanaryAnalysis.AssessAsync(metrics, config, step.CanaryPercent, cancellationToken, scope, stepStartedAt: step.StepStartedAt);
        if (verdictDir is not null && verdict.Verdict != Verdict.Inconclusive) CanaryVerdictRecorder.Write(verdictDir, verdict);
        log.Verbose("canary-{0}: {1} — {2}", step.CanaryPercent, verdict.Verdict, verdict.Summary);
        return verdict.ToGateVerdict();
    }
}
