using Pipeline.Drill.Traffic;
using Pipeline.SingleHost.Traffic;

namespace Pipeline.Drill.Report;

public enum WindowVerdict { Pass, Fail, Stolen }

/// <summary>A cutover window judged: its p99 against the limit, or not judged because the hypervisor stole the CPU.</summary>
public sealed record CutoverJudgement(WindowVerdict Verdict, double WindowP99Ms, double ReferenceP99Ms, double LimitMs, double MaxStealPercent, string Figure)
{
    public bool Passed => Verdict == WindowVerdict.Pass;
}

/// <summary>
/// The latency target for a cutover (pure): the p99 of the cutover window (at least 10 s) must be at most
/// 1.25 × the p99 of the 30–60 s before the cutover, or the baseline's p99 + 5 ms when that is larger (a quiet
/// reference of 4 ms must not make 5.1 ms a failure). On this VM CPU steal jumps to 15–36 % for seconds at a time
/// and moves p99 more than any release does, so a window — or its reference — with any second above 10 % steal is
/// not judged at all: it is <see cref="WindowVerdict.Stolen"/>, and the phase has to be re-run (the report says so).
/// </summary>
public static class CutoverWindowRule
{
    public const double Factor = 1.25;
    public const double BaselineMarginMs = 5;
    public const double MaxStealPercent = 10;
    public static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ReferenceFrom = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ReferenceTo = TimeSpan.FromSeconds(30);

    public static double Limit(double referenceP99Ms, double baselineP99Ms) => Math.Max(Factor * referenceP99Ms, baselineP99Ms + BaselineMarginMs);

    /// <summary>The rule on its figures.</summary>
    public static CutoverJudgement Judge(double windowP99Ms, double referenceP99Ms, double baselineP99Ms, double maxStealPercent)
    {
        var limit = Math.Round(Limit(referenceP99Ms, baselineP99Ms), 2);
        var verdict = maxStealPercent > MaxStealPercent ? WindowVerdict.Stolen : windowP99Ms <= limit ? WindowVerdict.Pass : WindowVerdict.Fail;
        var figure = verdict == WindowVerdict.Stolen
            ? $"not judged: CPU steal reached {maxStealPercent:0.#} % (> {MaxStealPercent:0} %) — re-run the phase"
            : $"cutover p99 {windowP99Ms:0.0} ms vs limit {limit:0.0} ms (1.25 × {referenceP99Ms:0.0} ms before, or baseline {baselineP99Ms:0.0} + 5 ms)";
        return new CutoverJudgement(verdict, windowP99Ms, referenceP99Ms, limit, maxStealPercent, figure);
    }

    /// <summary>
    /// The rule on a recording: the window [from, to) (widened to 10 s when shorter), its reference [from − 60 s,
    /// from − 30 s), the answered requests' p99 in each, and the highest per-second steal over both.
    /// </summary>
    public static CutoverJudgement Judge(IDrillTraffic traffic, IReadOnlyList<StealSample> steal, DateTimeOffset from, DateTimeOffset to, double baselineP99Ms)
    {
        if (to - from < MinWindow) to = from + MinWindow;
        var window = P99(traffic.Between(from, to));
        var reference = P99(traffic.Between(from - ReferenceFrom, from - ReferenceTo));
        var maxSteal = steal.Where(s => (s.At > from - ReferenceFrom && s.At <= from - ReferenceTo + TimeSpan.FromSeconds(1))
                                         || (s.At > from && s.At <= to + TimeSpan.FromSeconds(1)))
            .Select(s => s.Percent).DefaultIfEmpty(0).Max();
        return Judge(window, reference, baselineP99Ms, maxSteal);
    }

    public static double P99(IReadOnlyList<RequestRecord> records) =>
        Math.Round(LoadSchedule.Percentile([.. records.Where(r => !r.Failed).Select(r => r.LatencyMs).Order()], 99), 2);
}
