namespace Pipeline.Drill.Traffic;

/// <summary>
/// Every write of the drill checked after it (headline figures: both must be 0).
/// <see cref="AcknowledgedMissing"/>: acknowledged (2xx) writes whose order the API or PostgreSQL does not have —
/// a release that loses a committed write. <see cref="Duplicates"/>: two rows for one client order (its key/tag), or
/// one key acknowledged with two different orders — a retry that created a second order instead of replaying.
/// </summary>
public sealed record WriteVerification(
    int Writes, int Acknowledged, int NeverAcknowledged, int CommittedButUnacknowledged, int Retried,
    int MissingInApi, int MissingInDatabase, int DuplicateRows, int ConflictingAcknowledgements,
    IReadOnlyList<string> Examples)
{
    public int AcknowledgedMissing => MissingInApi + MissingInDatabase;
    public int Duplicates => DuplicateRows + ConflictingAcknowledgements;
    public bool Passed => AcknowledgedMissing == 0 && Duplicates == 0;

    /// <summary>
    /// The judgement (pure): <paramref name="records"/> every attempt of the drill; <paramref name="foundInApi"/> the
    /// acknowledged order ids the API answered 200 for; <paramref name="rows"/> every (tag, order id) row in orders for
    /// the drill's tags. A never-acknowledged write that did commit is not a loss (the client was told nothing), but it
    /// is counted: a high count means answers were lost after commits.
    /// </summary>
    public static WriteVerification Assess(IReadOnlyList<RequestRecord> records, IReadOnlySet<string> foundInApi, IReadOnlyList<(string Tag, string OrderId)> rows)
    {
        var writes = records.Where(r => r.IsWrite && r.IdempotencyKey is not null).GroupBy(r => r.IdempotencyKey!).ToList();
        var rowsByTag = rows.GroupBy(r => r.Tag).ToDictionary(g => g.Key, g => g.Select(r => r.OrderId).ToList(), StringComparer.Ordinal);
        var rowIds = rows.Select(r => r.OrderId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var examples = new List<string>();
        void Example(string text) { if (examples.Count < 20) examples.Add(text); }

        int acknowledged = 0, never = 0, committedUnacked = 0, retried = 0, missingApi = 0, missingDb = 0, conflicting = 0;
        foreach (var write in writes)
        {
            if (write.Any(a => a.Attempt > 1)) retried++;
            var acks = write.Where(a => a.Acknowledged).ToList();
            if (acks.Count == 0)
            {
                never++;
                if (rowsByTag.ContainsKey(write.Key)) committedUnacked++;
                continue;
            }
            acknowledged++;
            var ids = acks.Select(a => a.OrderId).Where(id => id is not null).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (ids.Count > 1) { conflicting++; Example($"{write.Key}: acknowledged as {string.Join(" and ", ids)}"); }
            if (ids.Count == 0 || ids.Any(id => !foundInApi.Contains(id!))) { missingApi++; Example($"{write.Key}: acknowledged, not readable through the API ({ids.FirstOrDefault() ?? "no Location"})"); }
            if (ids.Count == 0 || ids.Any(id => !rowIds.Contains(id!))) { missingDb++; Example($"{write.Key}: acknowledged, no row in orders ({ids.FirstOrDefault() ?? "no Location"})"); }
        }
        var duplicateRows = 0;
        foreach (var (tag, ids) in rowsByTag.Where(p => p.Value.Count > 1))
        {
            duplicateRows += ids.Count - 1;
            Example($"{tag}: {ids.Count} rows in orders ({string.Join(", ", ids)})");
        }
        return new WriteVerification(writes.Count, acknowledged, never, committedUnacked, retried, missingApi, missingDb, duplicateRows, conflicting, examples);
    }
}
