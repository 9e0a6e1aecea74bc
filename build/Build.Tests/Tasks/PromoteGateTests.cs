using Pipeline.Release;
using Pipeline.Tasks;
using Pipeline.Tests.Engine.Support;
using Pipeline.Tests.SingleHost.Support;

namespace Pipeline.Tests.Tasks;

/// <summary>Any failure of the gate while a canary is live rolls it back: nobody is left judging it otherwise.</summary>
public class PromoteGateTests
{
    [Theory]
    [InlineData(typeof(KeyNotFoundException))]
    [InlineData(typeof(System.Text.Json.JsonException))]
    [InlineData(typeof(GateFailedException))]
    public void A_gate_that_fails_or_crashes_rolls_the_live_canary_back_and_says_why(Type failure)
    {
        using var t = new RecordingTarget(RecordingTarget.Config());
        t.CanaryLiveAt(10);
        var exception = (Exception)Activator.CreateInstance(failure, "the answer had no 'p99'")!;

        var back = PromoteGate.FailSafe(exception, new ReleaseEngine(t), TestCake.Create().Log);

        Assert.True(back);
        Assert.Contains(t.Calls, c => c.StartsWith("abort: ", StringComparison.Ordinal) && c.Contains("the answer had no 'p99'"));
        if (failure != typeof(GateFailedException))
            Assert.Contains(t.Calls, c => c.Contains($"PromoteGate crashed ({failure.Name}"));
        Assert.Null(t.Session.LoadState().Candidate);
        Assert.Equal([("promote", "failed"), ("rollback", "succeeded")], t.Session.Audit.Read().Select(e => (e.Action, e.Outcome)));
    }
}
