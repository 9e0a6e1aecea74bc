namespace Pipeline.Gates.Canary;

/// <summary>What one track (stable or canary) did in the window, as read from Prometheus. Errors are judged on the counts (<see cref="Requests"/>, <see cref="ServerErrors"/>), latency also on the per-interval means.</summary>
/// <param name="MeanLatencies">Per-interval mean latency in seconds (intervals without requests dropped).</param>
public sealed record TrackObservation(
    double Requests, double ServerErrors, double P50, double P99,
    IReadOnlyList<double> MeanLatencies)
{
    public double ErrorRate => Requests > 0 ? ServerErrors / Requests : double.NaN;

    public static readonly TrackObservation Empty = new(0, 0, double.NaN, double.NaN, []);
}

/// <summary>Both tracks over the same window. <paramref name="WindowSeconds"/> below the configured window means the step is younger than the window.</summary>
public sealed record CanaryObservation(TrackObservation Canary, TrackObservation Baseline, DateTimeOffset At, int WindowSeconds);
