namespace Pipeline.Tasks;

/// <summary>
/// Thrown by a task that this environment's target cannot run yet. Never a silent success:
/// a release that skipped a gate must not look like one that passed it.
/// </summary>
public sealed class NotAvailableException(string task, string environment, string why)
    : Exception($"{task} is not available for environment '{environment}' yet: {why}");
