using Pipeline.Config;
using Pipeline.Metrics;
using Pipeline.Records;

namespace Pipeline.Gates.Canary;

/// <summary>
/// Watches one canary step until the verdict is decided: looks every scrape interval; Fail and Pass return at once
/// (both are anytime-valid: looking often costs nothing), Inconclusive keeps waiting until inconclusiveTimeoutSeconds
/// after the step began (or after the first look, if later) — then it stays Inconclusive and the caller rolls back.
/// </summary>
public static class CanaryGate
{
    public static async Task<CanaryVerdict> AwaitVerdictAsync(
        IMetricsSource metrics, CanaryGateConfig config, int stepWeight, CancellationToken cancellationToken,
        CanaryScope? scope = null, DateTimeOffset? stepStartedAt = null, TimeSpan? pollInterval = null,
        Action<CanaryVerdict>? onLook = null)
    {
        var began = DateTimeOffset.UtcNow;
        var from = stepStartedAt is { } s && s < began ? s : began;
        var deadline = from.AddSeconds(config.InconclusiveTimeoutSeconds);
        if (deadline < began.AddSeconds(config.MinSeconds)) deadline = began.AddSeconds(config.MinSeconds);
        var interval = pollInterval ?? TimeSpan.FromSeconds(config.ScrapeIntervalSeconds);
        while (true)
        {
            var verdict = await CanaryAnalysis.AssessAsync(metrics, config, stepWeight, cancellationToken, scope, stepStartedAt: stepStartedAt ?? began);
            onLook?.Invoke(verdict);
            if (verdict.Verdict != Verdict.Inconclusive) return verdict;
            var now = DateTimeOffset.UtcNow;
            if (now >= deadline)
                return verdict with
                {
                    Summary = $"inconclusive for {(now - from).TotalSeconds:0} s since the step began (inconclusiveTimeoutSeconds {config.InconclusiveTimeoutSeconds}), giving up: {verdict.Summary}",
                };
            // The last look lands on the deadline, so the configured timeout is the time actually given.
            await Task.Delay(deadline - now < interval ? deadline - now : interval, cancellationToken);
        }
    }
}
