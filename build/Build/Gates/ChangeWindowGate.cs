using System.Globalization;
using Pipeline.Config;
using Pipeline.Records;

namespace Pipeline.Gates;

/// <summary>
/// Deny windows: times nobody should deploy (a Friday-afternoon release fails over the weekend, unattended).
/// A window with from &gt; to runs past midnight into the next day. An override needs a reason, which is recorded.
/// </summary>
public static class ChangeWindowGate
{
    public const string Name = "change-window";

    public static GateVerdict Assess(IReadOnlyList<ChangeWindowConfig> windows, DateTimeOffset now, string? overrideReason)
    {
        var hit = windows.FirstOrDefault(w => Contains(w, now));
        if (hit is null)
            return new GateVerdict(Name, Verdict.Pass, windows.Count == 0 ? "no deny windows configured" : $"{Describe(windows[0])}… not in effect now");
        if (overrideReason is { Length: > 0 } reason)
            return new GateVerdict(Name, Verdict.Warn, $"inside deny window ({Describe(hit)}: {hit.Reason}) — OVERRIDDEN: {reason}");
        if (overrideReason is not null)
            return new GateVerdict(Name, Verdict.Fail, "--override-window needs a reason: --override-window=\"<why this cannot wait>\"");
        return new GateVerdict(Name, Verdict.Fail,
            $"inside deny window {Describe(hit)} ({hit.Reason}). Deploy later, or override with --override-window=\"<reason>\" (audited).");
    }

    public static bool Contains(ChangeWindowConfig w, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(w.TimeZone));
        var from = TimeOnly.Parse(w.From, CultureInfo.InvariantCulture);
        // "23:59" means through the end of that minute.
        var to = TimeOnly.Parse(w.To, CultureInfo.InvariantCulture).Add(TimeSpan.FromSeconds(59.999));
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (from <= to) return w.Days.Contains(local.DayOfWeek) && time >= from && time <= to;
        // Overnight window: from the listed day's evening into the next morning.
        return (w.Days.Contains(local.DayOfWeek) && time >= from)
            || (w.Days.Contains(local.AddDays(-1).DayOfWeek) && time <= to);
    }

    private static string Describe(ChangeWindowConfig w) =>
        $"{string.Join("/", w.Days.Select(d => d.ToString()[..3]))} {w.From}-{w.To} {w.TimeZone}";
}
