using Pipeline.Gates;
using Pipeline.Records;

namespace Pipeline.Tests.Gates;

public class ApprovalGateTests
{
    private static GateVerdict Assess(bool required = true, bool actions = false, string? protectedEnv = null, bool approve = false, string? by = null) =>
        ApprovalGate.Assess(new ApprovalGate.Input("prod", required, actions, protectedEnv, "runner", approve, by));

    [Fact]
    public void Not_required_is_recorded_as_skipped() => Assert.Equal(Verdict.Skipped, Assess(required: false).Verdict);

    [Fact]
    public void Required_without_approval_fails_with_the_flags_to_use()
    {
        var v = Assess();
        Assert.Equal(Verdict.Fail, v.Verdict);
        Assert.Contains("--approve --approved-by=<your name>", v.Summary);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("true")]
    public void Approval_without_a_name_fails(string? by) => Assert.Equal(Verdict.Fail, Assess(approve: true, by: by).Verdict);

    [Fact]
    public void Local_approval_records_who_approved()
    {
        var v = Assess(approve: true, by: "Dana Ops");
        Assert.Equal(Verdict.Pass, v.Verdict);
        Assert.Equal("approved by Dana Ops (local --approve, run by runner)", v.Summary);
    }

    [Fact]
    public void In_actions_only_the_protected_environment_counts()
    {
        Assert.Equal(Verdict.Fail, Assess(actions: true, approve: true, by: "someone").Verdict);
        Assert.Equal(Verdict.Fail, Assess(actions: true, protectedEnv: "staging").Verdict);
        var v = Assess(actions: true, protectedEnv: "prod");
        Assert.Equal(Verdict.Pass, v.Verdict);
        Assert.Contains("protected environment 'prod'", v.Summary);
    }

    [Fact]
    public void In_actions_the_verdict_carries_what_the_API_said()
    {
        var ok = ApprovalGate.Assess(new ApprovalGate.Input("prod", true, true, "prod", "runner", false, null, "approved by alice for 'prod' in run 99"));
        Assert.Equal("approved through the GitHub protected environment 'prod' (approved by alice for 'prod' in run 99; run by runner)", ok.Summary);
        var no = ApprovalGate.Assess(new ApprovalGate.Input("prod", true, true, null, "runner", false, null, "run 99's review for 'prod' is 'rejected', not approved"));
        Assert.Equal(Verdict.Fail, no.Verdict);
        Assert.Equal("prod requires approval, and the GitHub API shows none for this run: run 99's review for 'prod' is 'rejected', not approved", no.Summary);
    }
}
