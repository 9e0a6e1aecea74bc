namespace Pipeline.Metrics;

/// <summary>
/// Exact counter increases since a moment, from the raw samples of a range query (one point per scrape interval),
/// instead of PromQL's increase(), which extrapolates to the window's edges and loses the first increment of a
/// series born inside the window. Per series:
/// <list type="bullet">
/// <item>a series present at the start contributes last − first (its first point is the last scrape before the start);</item>
/// <item>a series that appears later (an instance started mid-step; its pre-created series start at 0) contributes
/// everything it counted: its first value is already this step's evidence;</item>
/// <item>a drop is a counter reset (the process restarted): the new value is counted from 0.</item>
/// </list>
/// </summary>
public static class CounterIncrease
{
    /// <param name="bornAtZero">
    /// True for the app's own series (born with the process, at 0). False for long-lived counters that join a
    /// selection mid-step (HAProxy's per-server counters when a slot joins the canary): their first value is their
    /// history, not this step's evidence — counting it would charge the canary with a previous release's errors.
    /// </param>
    public static double Of(MetricSeries series, DateTimeOffset start, TimeSpan tolerance, bool bornAtZero = true)
    {
        var points = series.Points.Where(p => double.IsFinite(p.Value)).OrderBy(p => p.At).ToList();
        if (points.Count == 0) return 0;
        var presentAtStart = points[0].At <= start + tolerance;
        var total = presentAtStart || !bornAtZero ? 0 : points[0].Value;
        for (var i = 1; i < points.Count; i++)
        {
            var delta = points[i].Value - points[i - 1].Value;
            total += delta >= 0 ? delta : points[i].Value;
        }
        return total;
    }

    /// <summary>The increase summed over series grouped by one label's value (e.g. by <c>le</c> for histogram buckets).</summary>
    public static IReadOnlyDictionary<string, double> SumBy(IEnumerable<MetricSeries> series, string label, DateTimeOffset start, TimeSpan tolerance) =>
        series.GroupBy(s => s.Labels.GetValueOrDefault(label, ""))
            .ToDictionary(g => g.Key, g => g.Sum(s => Of(s, start, tolerance)), StringComparer.Ordinal);

    public static double Sum(IEnumerable<MetricSeries> series, DateTimeOffset start, TimeSpan tolerance, bool bornAtZero = true) =>
        series.Sum(s => Of(s, start, tolerance, bornAtZero));
}
