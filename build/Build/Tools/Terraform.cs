namespace Pipeline.Tools;

/// <summary>argv for terraform. -input=false everywhere: a pipeline that waits for a prompt hangs until CI kills it.</summary>
public static class Terraform
{
    public static ToolCommand Init(string dir) =>
        new("terraform", $"-chdir={dir}", "init", "-input=false", "-lockfile=readonly");

    /// <summary>Exit codes with -detailed-exitcode: 0 no changes, 1 error, 2 changes present.</summary>
    public static ToolCommand Plan(string dir, string planFile, IEnumerable<string> varFiles) =>
        new("terraform", [$"-chdir={dir}", "plan", "-input=false", "-lock-timeout=60s", "-detailed-exitcode", $"-out={planFile}", .. varFiles.Select(f => $"-var-file={f}")]);

    /// <summary>
    /// Drift: what changed outside Terraform, without proposing changes of our own (exit code 2 = drift). Saved with
    /// -out so <see cref="ShowJson"/> can tell the pipeline's own helm upgrades from a real out-of-band change.
    /// </summary>
    public static ToolCommand RefreshOnlyPlan(string dir, string planFile, IEnumerable<string> varFiles) =>
        new("terraform", [$"-chdir={dir}", "plan", "-input=false", "-lock-timeout=60s", "-detailed-exitcode", "-refresh-only", $"-out={planFile}", .. varFiles.Select(f => $"-var-file={f}")]);

    public static ToolCommand ShowJson(string dir, string planFile) =>
        new("terraform", $"-chdir={dir}", "show", "-json", planFile);
}
