using Pipeline.Records;

namespace Pipeline.SingleHost;

/// <summary>One canary step to judge: the traffic share and which versions are compared.</summary>
public sealed record CanaryStep(int CanaryPercent, string StableVersion, string CanaryVersion, DateTimeOffset StepStartedAt);

/// <summary>
/// Judges a canary step (pass / fail / inconclusive). The statistics belong to the gate (PromoteGate's
/// AssessCanary); the single-host strategies only need this seam.
/// </summary>
public interface ICanaryJudge
{
    Task<GateVerdict> AssessAsync(CanaryStep step, CancellationToken cancellationToken);
}
