using Pipeline.Gates.Canary.Statistics;

namespace Pipeline.Gates.Canary;

/// <summary>
/// What one track did since the step began, as exact counter increases (never extrapolated, never a sliding window).
/// The proxy's counts join the app's: a canary whose process dies or hangs produces its errors in HAProxy, not in
/// its own /metrics.
/// </summary>
public sealed record TrackCounts(double Requests, double ServerErrors, double ProxyResponses5xx, double ProxyFailures, BucketHistogram Latency)
{
    public static readonly TrackCounts Empty = new(0, 0, 0, 0, BucketHistogram.Empty);

    /// <summary>The proxy's 5xx for a server include the app's own 5xx: take the larger count, then add what never reached the app.</summary>
    public long Errors => (long)Math.Round(Math.Max(ServerErrors, ProxyResponses5xx) + ProxyFailures);

    /// <summary>Requests the track was given: those the app answered plus those that failed before it could.</summary>
    public long Exposure => (long)Math.Round(Requests + ProxyFailures);
}

/// <summary>
/// Both tracks since the step began, plus stable's latency histogram from before the step (<paramref name="Baseline"/>,
/// empty when stable served nothing then): the latency bounds are fixed from it, not from the data being tested.
/// </summary>
public sealed record CanaryObservation(TrackCounts Canary, TrackCounts Stable, BucketHistogram Baseline, DateTimeOffset At, double ElapsedSeconds);
