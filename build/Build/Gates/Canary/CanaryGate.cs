using Pipeline.Config;
using Pipeline.Metrics;
using Pipeline.Records;

namespace Pipeline.Gates.Canary;

/// <summary>
/// Watches one canary step until the verdict is decided: looks every sampleStepSeconds; Fail returns at once
/// (fast detection), Pass needs a full window, Inconclusive keeps waiting until inconclusiveTimeoutSeconds past
/// the moment the window filled — then it stays Inconclusive and the caller rolls back (no data is never a pass).
/// </summary>
public static class CanaryGate
{
    public static async Task<CanaryVerdict> AwaitVerdictAsync(
        IMetricsSource metrics, CanaryGateConfig config, int stepWeight, CancellationToken cancellationToken,
        CanaryScope? scope = null, DateTimeOffset? stepStartedAt = null, TimeSpan? pollInterval = null,
        Action<CanaryVerdict>? onLook = null)
    {
        var began = DateTimeOffset.UtcNow;
        var windowFull = (stepStartedAt ?? began.AddSeconds(-config.WindowSeconds)).AddSeconds(config.WindowSeconds);
        var deadline = (windowFull > began ? windowFull : began).AddSeconds(config.InconclusiveTimeoutSeconds);
        var interval = pollInterval ?? TimeSpan.FromSeconds(config.SampleStepSeconds);
        while (true)
        {
            var verdict = await CanaryAnalysis.AssessAsync(metrics, config, stepWeight, cancellationToken, scope, stepStartedAt: stepStartedAt);
            onLook?.Invoke(verdict);
            if (verdict.Verdict != Verdict.Inconclusive) return verdict;
            var now = DateTimeOffset.UtcNow;
            if (now >= deadline)
                return verdict with
                {
                    Summary = $"inconclusive for {(DateTimeOffset.UtcNow - began).TotalSeconds:0} s (inconclusiveTimeoutSeconds {config.InconclusiveTimeoutSeconds}), giving up: {verdict.Summary}",
                };
            // The last look lands on the deadline, so the configured timeout is the time actually given.
            await Task.Delay(deadline - now < interval ? deadline - now : interval, cancellationToken);
        }
    }
}
