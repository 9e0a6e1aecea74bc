using Pipeline.Drill;
using Pipeline.Drill.Phases;

namespace Pipeline.Tests.Drill.Phases;

public sealed class PhaseJudgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static RequestRecord R(double atSeconds, int status = 200, double latency = 5, string? version = "1.1.0", bool write = false, string? key = null, string? order = null) =>
        new(0, T0.AddSeconds(atSeconds), latency, status, status == 0 ? "reset" : null, version, "s0", write, key, 1) { OrderId = order };

    private static List<RequestRecord> Steady(double from, double to, double latency = 5, string version = "1.1.0") =>
        [.. Enumerable.Range(0, (int)((to - from) * 10)).Select(i => R(from + i / 10.0, latency: latency, version: version))];

    [Fact]
    public void A_release_window_passes_only_with_traffic_and_no_failure()
    {
        Assert.True(PhaseJudge.ZeroFailures("p", T0, T0, Steady(0, 5)).Passed);
        Assert.False(PhaseJudge.ZeroFailures("p", T0, T0, [.. Steady(0, 5), R(2, 502)]).Passed);
        Assert.False(PhaseJudge.ZeroFailures("p", T0, T0, [.. Steady(0, 5), R(2, 0)]).Passed);
        var empty = PhaseJudge.ZeroFailures("p", T0, T0, []);
        Assert.False(empty.Passed); // no traffic proves nothing
        Assert.Contains("no requests", empty.Figure);
    }

    [Fact]
    public void A_faulty_canary_passes_when_rolled_back_in_30_s_with_failures_only_on_the_canary()
    {
        List<RequestRecord> records = [.. Steady(0, 40), R(5, version: "1.2.0"), R(6, 500, version: "1.2.0"), R(20, version: "1.2.0")];
        Assert.True(PhaseJudge.RolledBackInTime("6a", T0, T0, records, "1.2.0", rolledBack: true).Passed);
        Assert.False(PhaseJudge.RolledBackInTime("6a", T0, T0, records, "1.2.0", rolledBack: false).Passed);
        Assert.False(PhaseJudge.RolledBackInTime("6a", T0, T0, [.. records, R(36, version: "1.2.0")], "1.2.0", rolledBack: true).Passed); // 31 s
        Assert.False(PhaseJudge.RolledBackInTime("6a", T0, T0, [.. records, R(7, 502, version: "1.1.0")], "1.2.0", rolledBack: true).Passed); // stable failed
        Assert.False(PhaseJudge.RolledBackInTime("6a", T0, T0, [.. records, R(7, 0, version: null)], "1.2.0", rolledBack: true).Passed); // transport error
    }

    [Fact]
    public void A_canary_stopped_by_the_smoke_test_before_any_user_request_fails_the_phase_because_the_gate_was_not_proven()
    {
        var r = PhaseJudge.RolledBackInTime("6a", T0, T0, Steady(0, 10), "1.2.0", rolledBack: true);
        Assert.False(r.Passed);
        Assert.Contains("the gate was never exercised", r.Figure);
        Assert.False(PhaseJudge.RolledBackInTime("6a", T0, T0, Steady(0, 10), "1.2.0", rolledBack: false).Passed);
    }

    [Fact]
    public void A_kill_may_fail_only_its_in_flight_requests_and_none_after_2_s()
    {
        var killed = T0.AddSeconds(5);
        List<RequestRecord> ok = [.. Steady(0, 10), R(5.01, 502), R(5.5, 0)];
        Assert.True(PhaseJudge.KillContained("7a", T0, T0, ok, killed, inFlightAtKill: 2).Passed);
        Assert.False(PhaseJudge.KillContained("7a", T0, T0, ok, killed, inFlightAtKill: 1).Passed);
        Assert.False(PhaseJudge.KillContained("7a", T0, T0, [.. Steady(0, 10), R(7.5, 502)], killed, inFlightAtKill: 5).Passed);
    }

    [Fact]
    public void A_database_outage_passes_with_readiness_red_liveness_green_same_containers_and_service_5_s_after_return()
    {
        var back = T0.AddSeconds(20);
        List<RequestRecord> records = [.. Steady(0, 5), .. Enumerable.Range(0, 30).Select(i => R(5 + i * 0.5, 503, version: null)), R(21), .. Steady(25, 35)];
        Assert.True(PhaseJudge.OutageRecovered("7b", T0, T0, records, back, true, true, true).Passed);
        Assert.False(PhaseJudge.OutageRecovered("7b", T0, T0, records, back, containersUnchanged: false, true, true).Passed);
        Assert.False(PhaseJudge.OutageRecovered("7b", T0, T0, records, back, true, readinessRedEverywhere: false, true).Passed);
        Assert.False(PhaseJudge.OutageRecovered("7b", T0, T0, records, back, true, true, livenessGreen: false).Passed);
        Assert.False(PhaseJudge.OutageRecovered("7b", T0, T0, [.. records, R(26, 503)], back, true, true, true).Passed);
    }

    [Fact]
    public void A_contrast_passes_only_when_it_shows_failures_or_a_spike()
    {
        var before = Steady(0, 30, latency: 10);
        var quiet = PhaseJudge.ContrastShowsOutage("C", T0, T0, before, Steady(30, 40, latency: 11), "draining");
        Assert.False(quiet.Passed);
        Assert.True(quiet.Contrast);
        Assert.NotNull(quiet.Note);
        Assert.True(PhaseJudge.ContrastShowsOutage("C", T0, T0, before, [.. Steady(30, 40, latency: 11), R(35, 502)], "draining").Passed);
        Assert.True(PhaseJudge.ContrastShowsOutage("C", T0, T0, before, Steady(30, 40, latency: 200), "draining").Passed);
        Assert.False(PhaseJudge.ContrastShowsOutage("C", T0, T0, before, [], "draining").Passed);
    }
}
