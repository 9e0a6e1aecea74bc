namespace Pipeline.Drill;

/// <summary>
/// One request the drill's open-loop load tester sent; every request is kept. Latency is timed from the scheduled
/// send (a slow server must not hide its slowness by slowing the sender). <paramref name="Status"/> is 0 for a
/// transport error (then <paramref name="Error"/> says which); a retried write has one record per attempt.
/// </summary>
public sealed record RequestRecord(
    long Seq, DateTimeOffset ScheduledAt, double LatencyMs, int Status, string? Error,
    string? Version, string? Instance, bool IsWrite, string? IdempotencyKey, int Attempt)
{
    public bool Failed => Status is 0 or >= 500;

    /// <summary>The order an acknowledged write created or replayed (from its Location header): read back after the drill.</summary>
    public string? OrderId { get; init; }

    /// <summary>
    /// How late the client itself sent the request after its scheduled moment (ms). Latency counts it (an open-loop
    /// client must not hide a slow server), so a client that stalls shows up here, not as a slow server.
    /// </summary>
    public double SendLagMs { get; init; }

    /// <summary>A write the API acknowledged (2xx): it must exist afterwards, exactly once.</summary>
    public bool Acknowledged => IsWrite && Status is >= 200 and < 300;
}

/// <summary>An instance's readiness as the drill saw it (polled): "ready", "not-ready", "gone".</summary>
public sealed record ReadinessTransition(DateTimeOffset At, string Instance, string From, string To);

/// <summary>
/// One phase of the drill against its target: a real release phase, or a seam-break contrast run
/// (<paramref name="Contrast"/>) whose target is to SHOW the outage the seam prevents.
/// </summary>
public sealed record PhaseResult(
    string Name, bool Contrast, DateTimeOffset Start, DateTimeOffset End,
    string Target, bool Passed, string Figure, string? Note = null)
{
    /// <summary>For a contrast run: the name of the real phase whose seam it removes (shown side by side with it).</summary>
    public string? Breaks { get; init; }

    /// <summary>The cutover window was not judged for p99: CPU steal above the rule's limit (the drill re-runs such a phase when it can).</summary>
    public bool Stolen { get; init; }
}

/// <summary>
/// The traffic side of the drill as the phases see it: the load tester's records and the readiness sampler's
/// transitions, readable while the traffic runs.
/// </summary>
public interface IDrillTraffic : IAsyncDisposable
{
    /// <summary>Every finished request whose scheduled send lies in [from, to).</summary>
    IReadOnlyList<RequestRecord> Between(DateTimeOffset from, DateTimeOffset to);

    /// <summary>Readiness transitions of every instance seen so far, oldest first.</summary>
    IReadOnlyList<ReadinessTransition> Readiness { get; }

    /// <summary>CPU steal per second while the traffic ran (a latency window is only judged when steal stayed low).</summary>
    IReadOnlyList<Traffic.StealSample> Steal { get; }
}
