using Pipeline.Records;

namespace Pipeline.Gates;

/// <summary>
/// Manual approval, for environments whose configuration requires it (prod). In GitHub Actions the protected
/// environment is the approval: the job only starts after a reviewer approved it, and the pipeline confirms that
/// through the API (GitHub/EnvironmentApproval: this run's approvals), never from a variable the workflow sets —
/// <see cref="Input.ProtectedEnvironment"/> is the environment the API confirmed, <see cref="Input.ApprovalDetail"/>
/// who approved or why not. Locally a named person approves with --approve --approved-by=&lt;name&gt;.
/// </summary>
public static class ApprovalGate
{
    public const string Name = "approval";
    public sealed record Input(string Environment, bool Required, bool InGitHubActions, string? ProtectedEnvironment,
        string Actor, bool Approve, string? ApprovedBy, string? ApprovalDetail = null);

    public static GateVerdict Assess(Input i)
    {
        if (!i.Required)
            return new GateVerdict(Name, Verdict.Skipped, $"not required for {i.Environment}");
        if (i.InGitHubActions)
        {
            return i.ProtectedEnvironment == i.Environment
                ? new GateVerdict(Name, Verdict.Pass, $"approved through the GitHub protected environment '{i.Environment}' ({i.ApprovalDetail ?? "confirmed through the API"}; run by {i.Actor})")
                : new GateVerdict(Name, Verdict.Fail, $"{i.Environment} requires approval, and the GitHub API shows none for this run: {i.ApprovalDetail ?? $"run this job in the protected GitHub environment '{i.Environment}'"}");
        }
        if (!i.Approve)
            return new GateVerdict(Name, Verdict.Fail, $"{i.Environment} requires a manual approval: add --approve --approved-by=<your name>");
        if (string.IsNullOrWhiteSpace(i.ApprovedBy) || i.ApprovedBy == "true")
            return new GateVerdict(Name, Verdict.Fail, "--approve needs --approved-by=<name>: an approval nobody signed is not an approval");
        return new GateVerdict(Name, Verdict.Pass, $"approved by {i.ApprovedBy.Trim()} (local --approve, run by {i.Actor})");
    }
}
