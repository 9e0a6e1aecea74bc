using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tests.Engine.Support;

namespace Pipeline.Tests.Engine;

/// <summary>The canary's weight steps, target-neutral: order of scale → weight → record → judge, and how it ends.</summary>
public sealed class CanaryStepLoopTests
{
    private static Task NoDelay(TimeSpan _, CancellationToken __) => Task.CompletedTask;

    [Fact]
    public async Task Each_step_grows_the_canary_before_its_weight_moves_and_is_judged_except_100()
    {
        using var t = new RecordingTarget(RecordingTarget.Config(replicas: 4));
        t.CanaryLiveAt(10);
        var end = await new CanaryStepLoop(t, NoDelay).RunAsync(t.Session.LoadState(), currentStepJudged: false);

        Assert.Equal(
            [
                "arm-abort", "judge 10%: Pass",
                "bring-up 1.2.0 ×2", "routes 50/50", "arm-abort", "judge 50%: Pass",
                "bring-up 1.2.0 ×4", "routes 0/100",
            ], t.Calls);
        Assert.Equal(100, end.CanaryPercent);
        Assert.Equal(100, t.Session.LoadState().CanaryPercent); // each step is on record before it is judged
        Assert.Equal(["canary-10", "canary-50"], t.Session.Record.Verdicts.Select(v => v.Gate));
    }

    [Fact]
    public async Task A_step_the_gate_already_passed_is_not_judged_again_but_every_later_one_is()
    {
        using var t = new RecordingTarget(RecordingTarget.Config(replicas: 4));
        t.CanaryLiveAt(10);
        await new CanaryStepLoop(t, NoDelay).RunAsync(t.Session.LoadState(), currentStepJudged: true);
        Assert.Equal("bring-up 1.2.0 ×2", t.Calls[0]);
        Assert.Contains("judge 50%: Pass", t.Calls);
        Assert.DoesNotContain("judge 10%: Pass", t.Calls);
    }

    [Fact]
    public async Task A_failed_step_rolls_back_before_the_weight_moves_further_and_throws()
    {
        using var t = new RecordingTarget(RecordingTarget.Config(replicas: 4));
        t.CanaryLiveAt(10);
        t.Verdicts.Enqueue(Verdict.Pass);
        t.Verdicts.Enqueue(Verdict.Fail);
        var e = await Assert.ThrowsAsync<ReleaseAbortedException>(() => new CanaryStepLoop(t, NoDelay).RunAsync(t.Session.LoadState(), false));

        Assert.Contains("rolled back: canary gate at 50%: Fail", e.Message);
        Assert.Equal("abort: canary gate at 50%: Fail — scripted Fail", t.Calls[^1]);
        Assert.DoesNotContain("routes 0/100", t.Calls);
        Assert.Null(t.Session.LoadState().Candidate);
        Assert.Equal(Verdict.Fail, t.Session.Record.Verdicts[^1].Verdict);
    }

    [Fact]
    public async Task Inconclusive_past_the_timeout_is_a_rollback_not_a_pass()
    {
        using var t = new RecordingTarget(RecordingTarget.Config(replicas: 4, inconclusiveTimeout: 0));
        t.CanaryLiveAt(10);
        t.Verdicts.Enqueue(Verdict.Inconclusive);
        t.Verdicts.Enqueue(Verdict.Inconclusive);
        var e = await Assert.ThrowsAsync<ReleaseAbortedException>(() => new CanaryStepLoop(t, async (d, ct) => await Task.Delay(5, ct)).RunAsync(t.Session.LoadState(), false));
        Assert.Contains("Inconclusive", e.Message);
        Assert.DoesNotContain(t.Calls, c => c.StartsWith("bring-up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_workload_that_never_gets_ready_rolls_back_and_says_where()
    {
        using var t = new RecordingTarget(RecordingTarget.Config(replicas: 4));
        t.CanaryLiveAt(10);
        t.BringUpFailure = new TimeoutException("pods not ready in 120 s");
        var e = await Assert.ThrowsAsync<ReleaseAbortedException>(() => new CanaryStepLoop(t, NoDelay).RunAsync(t.Session.LoadState(), true));
        Assert.Equal("aborted at 'step 50%': pods not ready in 120 s. Traffic is back on the stable release.", e.Message[(e.Message.IndexOf("aborted", StringComparison.Ordinal))..]);
        Assert.DoesNotContain(t.Calls, c => c.StartsWith("routes", StringComparison.Ordinal));
        Assert.StartsWith("abort: step 50% failed", t.Calls[^1]);
    }

    [Fact]
    public async Task The_pause_is_waited_before_each_judgement()
    {
        using var t = new RecordingTarget(RecordingTarget.Config(replicas: 2, pauseSeconds: 7, steps: [25, 100]));
        t.CanaryLiveAt(25);
        var waits = new List<TimeSpan>();
        await new CanaryStepLoop(t, (d, _) => { waits.Add(d); t.Calls.Add($"wait {d.TotalSeconds}s"); return Task.CompletedTask; }).RunAsync(t.Session.LoadState(), false);
        Assert.Equal(["wait 7s", "arm-abort", "judge 25%: Pass", "bring-up 1.2.0 ×2", "routes 0/100"], t.Calls);
    }
}
