namespace Pipeline.Drill.Traffic;

/// <summary>One app instance the readiness sampler polls directly (not through the LB): its name and base address.</summary>
public sealed record ProbeTarget(string Instance, Uri BaseAddress);
