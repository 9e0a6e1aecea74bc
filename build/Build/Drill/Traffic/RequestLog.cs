namespace Pipeline.Drill.Traffic;

/// <summary>
/// Every request the drill sent, readable while more arrive (the phases judge their windows live). Records arrive
/// in completion order, not schedule order, so a reader filters by scheduled time rather than trusting positions.
/// </summary>
public sealed class RequestLog
{
    private readonly List<RequestRecord> _records = [];
    private int _failed;

    public void Add(RequestRecord record)
    {
        lock (_records)
        {
            _records.Add(record);
            if (record.Failed) _failed++;
        }
    }

    public int Count
    {
        get { lock (_records) return _records.Count; }
    }

    /// <summary>Failed attempts so far (kept as a counter: the progress line asks twice a second).</summary>
    public int FailedCount
    {
        get { lock (_records) return _failed; }
    }

    /// <summary>Every finished attempt whose scheduled send lies in [from, to), in schedule order.</summary>
    public IReadOnlyList<RequestRecord> Between(DateTimeOffset from, DateTimeOffset to)
    {
        lock (_records)
            return [.. _records.Where(r => r.ScheduledAt >= from && r.ScheduledAt < to).OrderBy(r => r.ScheduledAt).ThenBy(r => r.Attempt)];
    }

    public IReadOnlyList<RequestRecord> All()
    {
        lock (_records) return [.. _records.OrderBy(r => r.ScheduledAt).ThenBy(r => r.Attempt)];
    }
}
