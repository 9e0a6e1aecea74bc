using Pipeline.Drill;

namespace Pipeline.SingleHost.Traffic;

/// <summary>
/// What a caller of the load tester wants beyond the per-second summary: every attempt as a
/// <see cref="RequestRecord"/> (called on the sender's threads: must be thread-safe and quick) and how failed
/// writes are retried. The release's gate traffic uses <see cref="Default"/>; the drill records and retries.
/// </summary>
public sealed record LoadTesterOptions(WriteRetry Retry, Action<RequestRecord>? OnRecord = null)
{
    public static readonly LoadTesterOptions Default = new(WriteRetry.None);
}
