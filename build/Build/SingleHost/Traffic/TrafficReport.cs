using System.Globalization;

namespace Pipeline.SingleHost.Traffic;

/// <summary>One second of the load test (by scheduled send time): answers, failures, latency, versions that answered.</summary>
public sealed record TrafficSecond(int Second, int Ok, int Failed, double P50Ms, double P99Ms, IReadOnlyDictionary<string, int> Versions);

/// <summary>
/// What the load tester saw (artifacts/traffic.json): the input of the live-traffic report. Latency is measured
/// from the request's scheduled send time, so a sender that fell behind cannot hide latency (no coordinated omission).
/// </summary>
public sealed record TrafficReport(
    string Target, double RatePerSecond, double WriteRatio, DateTimeOffset StartedAt, DateTimeOffset StoppedAt,
    long Requests, long Ok, long Failed, long Writes, double P50Ms, double P99Ms, double MaxMs, double MaxSendLagMs,
    IReadOnlyList<TrafficSecond> Seconds, IReadOnlyList<string> FirstFailures)
{
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"Traffic: {Requests} requests ({RatePerSecond:0.#}/s, {Writes} writes) in {(StoppedAt - StartedAt).TotalSeconds:0} s, {Failed} failed, p50 {P50Ms:0.0} ms, p99 {P99Ms:0.0} ms, max {MaxMs:0} ms");
}
