using Pipeline.Drill.Traffic;
using Pipeline.SingleHost.Traffic;

namespace Pipeline.Drill.Report;

/// <summary>
/// One second of the drill (by scheduled send): attempts, failures, latency percentiles of the answered ones,
/// CPU steal in that second (null: not sampled) and which versions answered.
/// </summary>
public sealed record DrillSecond(int Second, int Requests, int Failed, double P50Ms, double P99Ms, double? StealPercent, IReadOnlyDictionary<string, int> Versions)
{
    /// <summary>Per-second series from time zero <paramref name="start"/> (pure). Seconds without a request are kept, empty.</summary>
    public static IReadOnlyList<DrillSecond> From(IReadOnlyList<RequestRecord> records, IReadOnlyList<StealSample> steal, DateTimeOffset start)
    {
        if (records.Count == 0) return [];
        var bySecond = records.GroupBy(r => SecondOf(r.ScheduledAt, start)).ToDictionary(g => g.Key, g => g.ToList());
        // A steal sample covers the second before it was taken.
        var stealBySecond = steal.GroupBy(s => SecondOf(s.At, start) - 1).ToDictionary(g => g.Key, g => g.Max(s => s.Percent));
        var last = bySecond.Keys.Max();
        var list = new List<DrillSecond>(last + 1);
        for (var s = Math.Max(0, bySecond.Keys.Min()); s <= last; s++)
        {
            var rs = bySecond.GetValueOrDefault(s) ?? [];
            var latencies = rs.Where(r => !r.Failed).Select(r => r.LatencyMs).Order().ToList();
            var versions = rs.Where(r => r.Version is not null).GroupBy(r => r.Version!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            list.Add(new DrillSecond(s, rs.Count, rs.Count(r => r.Failed),
                Math.Round(LoadSchedule.Percentile(latencies, 50), 2), Math.Round(LoadSchedule.Percentile(latencies, 99), 2),
                stealBySecond.TryGetValue(s, out var st) ? st : null, versions));
        }
        return list;
    }

    public static int SecondOf(DateTimeOffset at, DateTimeOffset start) => (int)Math.Floor((at - start).TotalSeconds);
}
