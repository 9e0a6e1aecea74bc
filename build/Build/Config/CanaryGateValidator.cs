namespace Pipeline.Config;

public static partial class ConfigValidator
{
    /// <summary>The canary gate's numbers: each one out of range would make the gate either blind or trigger-happy.</summary>
    public static IEnumerable<string> CanaryGateErrors(CanaryGateConfig c)
    {
        if (c.FalseRollbackBudget is <= 0 or >= 0.5) yield return "gates.canary.falseRollbackBudget: must be above 0 and below 0.5 (the probability of rolling back a healthy release)";
        if (c.MaxErrorRatio < 1) yield return "gates.canary.maxErrorRatio: must be at least 1 (a canary as good as stable is no regression)";
        if (c.MaxErrorRateIncrease is < 0 or >= 1) yield return "gates.canary.maxErrorRateIncrease: must be between 0 and 1";
        if (c.MaxSlowRatio < 1) yield return "gates.canary.maxSlowRatio: must be at least 1";
        if (c.MaxSlowIncrease is < 0 or >= 1) yield return "gates.canary.maxSlowIncrease: must be between 0 and 1";
        if (c.MinLatencyIncreaseMs < 0) yield return "gates.canary.minLatencyIncreaseMs: must not be negative";
        if (c.LatencyQuantiles.Any(q => q is <= 0 or >= 1)) yield return "gates.canary.latencyQuantiles: each must be between 0 and 1 (exclusive)";
        if (c.LatencyQuantiles.Distinct().Count() != c.LatencyQuantiles.Count) yield return "gates.canary.latencyQuantiles: must not repeat a quantile";
        if (c.ErrorBudgetShare is <= 0 or >= 1) yield return "gates.canary.errorBudgetShare: must be above 0 and below 1 (the error test's share of each step's budget; the latency bounds get the rest)";
        if (c.PassRisk is <= 0 or >= 1) yield return "gates.canary.passRisk: must be between 0 and 1";
        if (c.MinSamples < 1) yield return "gates.canary.minSamples: must be at least 1 (no data is never a pass)";
        if (c.ScrapeIntervalSeconds < 1) yield return "gates.canary.scrapeIntervalSeconds: must be at least 1";
        // Counts since the step began are read at scrape resolution: under 4 scrapes a counter has one or two
        // samples (the old rate([1s]) over 1 s scrapes came back empty), so no step is judged, let alone passed, on less.
        if (c.MinSeconds < 4 * c.ScrapeIntervalSeconds) yield return $"gates.canary.minSeconds: must be at least 4 × scrapeIntervalSeconds ({4 * c.ScrapeIntervalSeconds} s)";
        if (c.BaselineSeconds < 4 * c.ScrapeIntervalSeconds) yield return $"gates.canary.baselineSeconds: must be at least 4 × scrapeIntervalSeconds ({4 * c.ScrapeIntervalSeconds} s)";
        if (c.InconclusiveTimeoutSeconds < c.MinSeconds) yield return "gates.canary.inconclusiveTimeoutSeconds: must be at least minSeconds (otherwise no step could ever pass)";
    }
}
