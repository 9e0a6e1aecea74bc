namespace Pipeline.Drill.Traffic;

/// <summary>Rows in idempotency_keys at one moment (null: the count failed, e.g. during the database outage).</summary>
public sealed record KeyCountSample(DateTimeOffset At, long? Rows, string? Error = null);
