namespace Pipeline.Metrics;

/// <summary>
/// The metrics backend could not answer (down, timed out, rejected the query). Gates turn this into an
/// Inconclusive verdict: a canary judged while Prometheus is down must never look like one that passed.
/// </summary>
public sealed class MetricsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
