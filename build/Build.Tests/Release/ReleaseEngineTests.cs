using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tests.Engine.Support;

namespace Pipeline.Tests.Engine;

/// <summary>The engine's verbs around the seams: idempotency, the lock, release state and the audit trail.</summary>
public sealed class ReleaseEngineTests
{
    [Fact]
    public async Task Deploy_then_promote_walks_the_steps_promotes_and_audits_both()
    {
        using var t = new RecordingTarget(RecordingTarget.Config(replicas: 2, steps: [10, 100]));
        t.Session.Persist(new ReleaseState(RecordingTarget.Old));
        var engine = new ReleaseEngine(t);

        Assert.Equal(DeployOutcome.Deployed, await engine.DeployAsync(RecordingTarget.New.Image));
        Assert.Equal("10", t.Session.Record.Facts[GateFacts.CanaryWeight]);
        await engine.PromoteAsync(currentStepJudged: true);

        Assert.Equal(["start 1.2.0", "bring-up 1.2.0 ×2", "routes 0/100", "promote 1.2.0"], t.Calls);
        Assert.Equal(RecordingTarget.New, t.Session.LoadState().Stable);
        Assert.Equal([("deploy", "succeeded"), ("promote", "succeeded")], t.Session.Audit.Read().Select(e => (e.Action, e.Outcome)));
        Assert.False(EnvironmentLock.IsHeld(t.Session.LockFile)); // released
    }

    [Fact]
    public async Task The_same_candidate_again_continues_and_the_serving_digest_is_a_no_op()
    {
        using var t = new RecordingTarget(RecordingTarget.Config());
        t.CanaryLiveAt(10);
        var engine = new ReleaseEngine(t);
        Assert.Equal(DeployOutcome.Continued, await engine.DeployAsync(RecordingTarget.New.Image));
        t.Session.Persist(new ReleaseState(RecordingTarget.Old));
        Assert.Equal(DeployOutcome.AlreadyServing, await engine.DeployAsync(RecordingTarget.Old.Image));
        Assert.Equal(["migrate-contract " + RecordingTarget.Old.Image], t.Calls);
        Assert.Empty(t.Session.Audit.Read());
    }

    [Fact]
    public async Task A_failed_promotion_audits_the_refusal_and_the_automatic_rollback()
    {
        using var t = new RecordingTarget(RecordingTarget.Config());
        t.CanaryLiveAt(10);
        t.Verdicts.Enqueue(Verdict.Fail);
        await Assert.ThrowsAsync<ReleaseAbortedException>(() => new ReleaseEngine(t).PromoteAsync());
        var trail = t.Session.Audit.Read();
        Assert.Equal([("promote", "failed", RecordingTarget.New.Image), ("rollback", "succeeded", RecordingTarget.Old.Image)],
            trail.Select(e => (e.Action, e.Outcome, e.ImageDigest)));
        Assert.Contains(trail[0].Verdicts, v => v.Verdict == Verdict.Fail);
    }

    [Fact]
    public async Task A_second_release_verb_while_the_lock_is_held_fails_fast_and_changes_nothing()
    {
        using var t = new RecordingTarget(RecordingTarget.Config());
        t.Session.Persist(new ReleaseState(RecordingTarget.Old));
        using (t.Session.Lock("promote"))
            await Assert.ThrowsAsync<EnvironmentLockedException>(() => new ReleaseEngine(t).DeployAsync(RecordingTarget.New.Image));
        Assert.Empty(t.Calls);
    }

    [Fact]
    public async Task Manual_rollback_aborts_a_release_in_progress_back_to_its_stable()
    {
        using var t = new RecordingTarget(RecordingTarget.Config());
        t.CanaryLiveAt(50);
        await new ReleaseEngine(t).RollbackAsync();
        Assert.Equal(["rollback-to 1.1.0"], t.Calls);
        Assert.Equal(("rollback", "succeeded", RecordingTarget.Old.Image), t.Session.Audit.Read().Select(e => (e.Action, e.Outcome, e.ImageDigest)).Single());
    }

    [Fact]
    public void Abort_with_nothing_in_progress_touches_nothing()
    {
        using var t = new RecordingTarget(RecordingTarget.Config());
        t.Session.Persist(new ReleaseState(RecordingTarget.Old));
        Assert.False(new ReleaseEngine(t).Abort("gate failed"));
        Assert.Empty(t.Calls);
    }
}

/// <summary>The audit trail records what happened: an abort that could not roll back is not a rollback.</summary>
public sealed class ReleaseEngineAuditTests
{
    [Fact]
    public async Task A_failed_gate_with_no_stable_instance_serving_records_the_rollback_as_failed()
    {
        using var t = new RecordingTarget(RecordingTarget.Config());
        t.CanaryLiveAt(10);
        t.NoStableServing = true;
        t.Verdicts.Enqueue(Verdict.Fail);

        var e = await Assert.ThrowsAsync<ReleaseAbortedException>(() => new ReleaseEngine(t).PromoteAsync());

        Assert.False(e.RolledBack);
        Assert.Contains("NOT rolled back", e.Message);
        var trail = t.Session.Audit.Read();
        Assert.Equal([("promote", "failed"), ("rollback", "failed")], trail.Select(x => (x.Action, x.Outcome)));
        Assert.Contains("the candidate still serves", trail[1].Note);
        Assert.DoesNotContain(trail, x => x.Action == "rollback" && x.Outcome == "succeeded");
    }
}
