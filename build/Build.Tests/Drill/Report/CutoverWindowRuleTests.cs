using Pipeline.Drill;
using Pipeline.Drill.Report;
using Pipeline.Drill.Traffic;

namespace Pipeline.Tests.Drill.Report;

public sealed class CutoverWindowRuleTests
{
    [Theory]
    // 1.25 × the reference when that is larger than baseline + 5 ms.
    [InlineData(20, 6, 25)]
    // baseline + 5 ms when that is larger: a quiet 4 ms reference must not make 5.1 ms a failure.
    [InlineData(4, 6, 11)]
    [InlineData(8, 5, 10)]
    public void The_limit_is_the_larger_of_125_percent_of_the_reference_and_baseline_plus_5_ms(double reference, double baseline, double limit) =>
        Assert.Equal(limit, CutoverWindowRule.Limit(reference, baseline), 6);

    [Fact]
    public void A_window_passes_up_to_the_limit_and_fails_above_it()
    {
        Assert.Equal(WindowVerdict.Pass, CutoverWindowRule.Judge(25.0, 20, 6, 3).Verdict);
        Assert.Equal(WindowVerdict.Fail, CutoverWindowRule.Judge(25.1, 20, 6, 3).Verdict);
        Assert.Equal(WindowVerdict.Pass, CutoverWindowRule.Judge(11, 4, 6, 0).Verdict);
        Assert.Equal(WindowVerdict.Fail, CutoverWindowRule.Judge(11.5, 4, 6, 0).Verdict);
        Assert.Contains("limit 25.0 ms", CutoverWindowRule.Judge(30, 20, 6, 3).Figure);
    }

    [Fact]
    public void A_window_with_more_than_10_percent_steal_is_not_judged_either_way()
    {
        var stolen = CutoverWindowRule.Judge(500, 20, 6, 10.5);
        Assert.Equal(WindowVerdict.Stolen, stolen.Verdict);
        Assert.False(stolen.Passed);
        Assert.Contains("re-run", stolen.Figure);
        Assert.Equal(WindowVerdict.Stolen, CutoverWindowRule.Judge(1, 20, 6, 36).Verdict);
        Assert.Equal(WindowVerdict.Pass, CutoverWindowRule.Judge(1, 20, 6, 10).Verdict);
    }

    [Fact]
    public void P99_is_over_successful_requests_with_the_nearest_rank()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        RequestRecord R(int i, int status, double ms) => new(i, t0.AddSeconds(i), ms, status, null, "1.1.0", "s0", false, null, 1);
        var records = Enumerable.Range(1, 100).Select(i => R(i, 200, i)).Append(R(0, 500, 9999)).ToList();
        Assert.Equal(99, CutoverWindowRule.P99(records));   // the failed 9,999 ms request is counted as a failure, not a latency
        Assert.Equal(0, CutoverWindowRule.P99([]));
    }

    private sealed class Recording(RequestLog log) : IDrillTraffic
    {
        public IReadOnlyList<RequestRecord> Between(DateTimeOffset from, DateTimeOffset to) => log.Between(from, to);
        public IReadOnlyList<ReadinessTransition> Readiness => [];
        public IReadOnlyList<StealSample> Steal => [];
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>100 s at 100 req/s: 10 ms everywhere except a slow tail in [70, 80) s, the cutover window.</summary>
    private static (Recording Traffic, DateTimeOffset Cutover) Recorded(double tailMs)
    {
        var log = new RequestLog();
        var t0 = SyntheticDrill.Start;
        for (var i = 0; i < 10_000; i++)
        {
            var at = t0 + TimeSpan.FromMilliseconds(10 * i);
            var inWindow = i is >= 7000 and < 8000;
            log.Add(new RequestRecord(i, at, inWindow && i % 50 == 0 ? tailMs : 10, 200, null, "1.1.0", "s0", false, null, 1));
        }
        return (new Recording(log), t0 + TimeSpan.FromSeconds(70));
    }

    [Fact]
    public void On_a_recording_the_window_is_compared_with_the_30_to_60_s_before_it_and_steal_in_either_counts()
    {
        // 2 % of the window's requests at the tail value: its p99 is that value; the reference's is 10 ms.
        var (slow, cutover) = Recorded(tailMs: 40);
        var judged = CutoverWindowRule.Judge(slow, [], cutover, cutover + TimeSpan.FromSeconds(10), baselineP99Ms: 10);
        Assert.Equal((WindowVerdict.Fail, 40.0, 10.0, 15.0), (judged.Verdict, judged.WindowP99Ms, judged.ReferenceP99Ms, judged.LimitMs));

        var (fine, _) = Recorded(tailMs: 12);
        Assert.Equal(WindowVerdict.Pass, CutoverWindowRule.Judge(fine, [], cutover, cutover + TimeSpan.FromSeconds(10), 10).Verdict);
        // A window shorter than 10 s is widened to 10 s: a 1-second window cannot dodge the slow requests after it.
        Assert.Equal(WindowVerdict.Fail, CutoverWindowRule.Judge(slow, [], cutover, cutover + TimeSpan.FromSeconds(1), 10).Verdict);

        // Steal: a stolen second in the reference (at 35 s before) or the window makes it unjudged; one outside both does not.
        Assert.Equal(WindowVerdict.Stolen, CutoverWindowRule.Judge(slow, [new StealSample(cutover - TimeSpan.FromSeconds(35), 20)], cutover, cutover + TimeSpan.FromSeconds(10), 10).Verdict);
        Assert.Equal(WindowVerdict.Stolen, CutoverWindowRule.Judge(slow, [new StealSample(cutover + TimeSpan.FromSeconds(5), 20)], cutover, cutover + TimeSpan.FromSeconds(10), 10).Verdict);
        Assert.Equal(WindowVerdict.Fail, CutoverWindowRule.Judge(slow, [new StealSample(cutover - TimeSpan.FromSeconds(10), 20)], cutover, cutover + TimeSpan.FromSeconds(10), 10).Verdict);
    }
}
