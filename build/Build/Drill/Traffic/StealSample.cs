namespace Pipeline.Drill.Traffic;

/// <summary>CPU steal over one second of the drill (percent of all CPU time the hypervisor gave to someone else).</summary>
public sealed record StealSample(DateTimeOffset At, double Percent);
