using Pipeline.Drill;
using Pipeline.Drill.Traffic;
using Pipeline.Records;

namespace Pipeline.Tests.Drill.Report;

/// <summary>
/// A small drill recording made up in memory: 40 s at 50 req/s, a canary of 1.2.0 from second 10 taking a share,
/// a burst of failures at second 25, two instances whose readiness flips, steal samples, one real phase with its
/// contrast run, and release events. Timestamps relative to <see cref="Start"/>.
/// </summary>
public static class SyntheticDrill
{
    public static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => Start + TimeSpan.FromSeconds(seconds);

    public static List<RequestRecord> Records(int seconds = 40, int rate = 50)
    {
        var list = new List<RequestRecord>();
        for (var i = 0; i < seconds * rate; i++)
        {
            var t = (double)i / rate;
            var canary = t >= 10 && i % 4 == 0;
            var failed = t is >= 25 and < 26 && i % 5 == 0;
            var write = i % 5 == 1;
            list.Add(new RequestRecord(i, At(t), 5 + i % 7, failed ? 503 : write ? 201 : 200, null, canary ? "1.2.0" : "1.1.0",
                canary ? "orders-local-s2" : "orders-local-s0", write, write ? $"lt-synth-{i}" : null, 1)
                { OrderId = write && !failed ? $"order-{i}" : null });
        }
        return list;
    }

    public static List<PhaseResult> Phases() =>
    [
        new("baseline", false, At(0), At(10), "0 failed", true, "0 failed of 500"),
        new("canary", false, At(10), At(30), "0 failed", false, "10 failed of 1000", "steal 3 %"),
        new("canary without readiness gate", true, At(30), At(40), "shows failed requests", true, "42 failed") { Breaks = "canary" },
    ];

    public static List<ReleaseEvent> Events() =>
    [
        new(At(10), "weight-changed", "app", "canary 10%"),
        new(At(20), "verdict", "canary-step", "pass: fine"),
        new(At(22), "stable", "1.2.0", "img"),
        new(At(27), "rolled-back-traffic", "stable", "300 ms after the verdict"),
        new(At(28), "warmed", "s2"),
    ];

    public static List<ReadinessTransition> Readiness() =>
    [
        new(At(0.1), "orders-local-s0", InstanceState.Unseen, InstanceState.Ready),
        new(At(9), "orders-local-s2", InstanceState.Unseen, InstanceState.NotReady),
        new(At(9.8), "orders-local-s2", InstanceState.NotReady, InstanceState.Ready),
        new(At(35), "orders-local-s2", InstanceState.Ready, InstanceState.Gone),
    ];

    public static List<StealSample> Steal() => [.. Enumerable.Range(1, 40).Select(s => new StealSample(At(s), s is >= 20 and < 24 ? 18 : 1.5))];
}
