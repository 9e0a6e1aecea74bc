namespace Pipeline.SingleHost.Traffic;

/// <summary>
/// How the synthetic users retry a write that failed (transport error or 5xx), as a real client does: the SAME
/// Idempotency-Key, a small bounded backoff, a bounded number of attempts. With the same key a retry of a write that
/// did commit (answer lost) replays the original order instead of creating a second one — which is exactly what the
/// drill's duplicate count checks. <see cref="None"/> (one attempt) is the release's own load tester: it counts
/// failures for the gate and must not hide them behind retries.
/// </summary>
public sealed record WriteRetry(int MaxAttempts, TimeSpan FirstBackoff)
{
    public static readonly WriteRetry None = new(1, TimeSpan.Zero);

    /// <summary>The drill's client: 4 attempts, 100 → 200 → 400 ms apart (under a second, far inside key retention).</summary>
    public static readonly WriteRetry Client = new(4, TimeSpan.FromMilliseconds(100));

    /// <summary>Backoff before attempt <paramref name="attempt"/> (2, 3, …): doubling from the first.</summary>
    public TimeSpan BackoffBefore(int attempt) => attempt <= 1 ? TimeSpan.Zero : FirstBackoff * Math.Pow(2, attempt - 2);

    /// <summary>Worth retrying: the request may not have reached a healthy instance. A 4xx is the client's own fault.</summary>
    public static bool IsRetryable(int status) => status is 0 or >= 500;
}
