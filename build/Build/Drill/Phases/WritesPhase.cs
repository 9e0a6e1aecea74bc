using Pipeline.SingleHost;

namespace Pipeline.Drill.Phases;

/// <summary>
/// The whole drill's last judgement: every write the API acknowledged is read back through the load balancer
/// (acknowledged-but-missing is the figure that matters most: a user was told "saved"), and no idempotency key
/// produced two different orders (a retried write must replay, never duplicate).
/// </summary>
public static class WritesPhase
{
    public const string Name = "writes: none lost, none duplicated";

    /// <summary>Keys whose acknowledged attempts name more than one order.</summary>
    public static int Duplicates(IReadOnlyList<RequestRecord> records) =>
        records.Where(r => r.Acknowledged && r.IdempotencyKey is not null && r.OrderId is not null)
            .GroupBy(r => r.IdempotencyKey).Count(g => g.Select(r => r.OrderId).Distinct().Count() > 1);

    public static async Task<PhaseResult> JudgeAsync(Uri loadBalancer, IReadOnlyList<RequestRecord> records, DateTimeOffset start, CancellationToken ct)
    {
        var ids = records.Where(r => r.Acknowledged && r.OrderId is not null).Select(r => r.OrderId!).Distinct().ToList();
        var withoutId = records.Count(r => r.Acknowledged && r.OrderId is null);
        var missing = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (id, token) =>
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var r = await SingleHostSession.Http.GetAsync(new Uri(loadBalancer, "/orders/" + id), token);
                    if ((int)r.StatusCode == 404) Interlocked.Increment(ref missing);
                    else if (!r.IsSuccessStatusCode && attempt < 3) { await Task.Delay(200, token); continue; }
                    else if (!r.IsSuccessStatusCode) Interlocked.Increment(ref missing);
                    return;
                }
                catch (HttpRequestException) when (attempt < 3) { await Task.Delay(200, token); }
            }
        });
        var duplicates = Duplicates(records);
        var passed = ids.Count > 0 && missing == 0 && duplicates == 0 && withoutId == 0;
        return new PhaseResult(Name, false, start, DateTimeOffset.UtcNow, "0 acknowledged writes lost, 0 duplicates", passed,
            $"{ids.Count} acknowledged orders read back: {missing} missing; {duplicates} keys with two orders; {withoutId} acknowledged without an order id");
    }
}
