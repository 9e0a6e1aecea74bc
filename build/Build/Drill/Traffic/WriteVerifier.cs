using System.Net;

namespace Pipeline.Drill.Traffic;

/// <summary>
/// Reads every acknowledged write back after the drill: through the API (GET /orders/{id}, via the load balancer,
/// as a client would) and in PostgreSQL (every orders row tagged with one of the drill's keys — the load tester
/// uses a write's key as its customerId). The judgement is <see cref="WriteVerification.Assess"/>.
/// </summary>
public static class WriteVerifier
{
    private const int Parallel = 16;

    public static async Task<WriteVerification> VerifyAsync(IReadOnlyList<RequestRecord> records, Uri api, Func<string, string> sql, CancellationToken ct = default)
    {
        var ids = records.Where(r => r.Acknowledged && r.OrderId is not null).Select(r => r.OrderId!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = await ReadThroughApiAsync(api, ids, ct);
        var keys = records.Where(r => r.IsWrite && r.IdempotencyKey is not null).Select(r => r.IdempotencyKey!).Distinct().ToList();
        var rows = keys.Count == 0 ? [] : ParseRows(sql(RowsQuery(keys)));
        return WriteVerification.Assess(records, found, rows);
    }

    /// <summary>
    /// The rows of the drill's tags. The keys share the load tester's run prefix (lt-RUN-N), so a LIKE on it selects
    /// them all in one scan instead of a 70,000-element IN list; anything else under the prefix is ours too.
    /// </summary>
    public static string RowsQuery(IReadOnlyList<string> keys)
    {
        var prefix = KeyPrefix(keys);
        return $"SELECT customer_id || '|' || id::text FROM orders WHERE customer_id LIKE '{prefix.Replace("'", "''").Replace("_", "\\_").Replace("%", "\\%")}%';\n";
    }

    /// <summary>The run prefix every key shares (up to its last '-'); keys of two runs are refused, not mixed.</summary>
    public static string KeyPrefix(IReadOnlyList<string> keys)
    {
        var prefixes = keys.Select(k => k[..(k.LastIndexOf('-') + 1)]).Distinct().ToList();
        if (prefixes.Count != 1 || prefixes[0].Length < 2)
            throw new ArgumentException($"The drill's write keys must share one run prefix, found {string.Join(", ", prefixes.Take(3))}");
        return prefixes[0];
    }

    public static IReadOnlyList<(string Tag, string OrderId)> ParseRows(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|') is [var tag, var id] ? (tag, id) : throw new FormatException($"unexpected row from psql: '{line}'"))];

    private static async Task<IReadOnlySet<string>> ReadThroughApiAsync(Uri api, IReadOnlyList<string> ids, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await System.Threading.Tasks.Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = ct }, async (id, token) =>
        {
            // A transient failure of the read-back is not a lost write: three tries before calling it missing.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    using var response = await http.GetAsync($"/orders/{Uri.EscapeDataString(id)}", token);
                    if (response.StatusCode == HttpStatusCode.OK) { lock (found) found.Add(id); return; }
                    if (response.StatusCode == HttpStatusCode.NotFound) return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                await Task.Delay(200, token);
            }
        });
        return found;
    }
}
