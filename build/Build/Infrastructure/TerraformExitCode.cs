using Pipeline.Tools;

namespace Pipeline.Infrastructure;

public enum PlanResult { NoChanges, Changes }

/// <summary>
/// <c>terraform plan -detailed-exitcode</c>: 0 no changes, 1 error, 2 changes present. Exit 2 is a result, not a
/// failure, so the runner is called with allowFailure and the code is read here — and only 0 and 2 are results:
/// anything else (1, a crash, a kill) is an error that must never read as "no drift".
/// </summary>
public static class TerraformExitCode
{
    public static PlanResult Interpret(ToolCommand command, ToolResult result) => result.ExitCode switch
    {
        0 => PlanResult.NoChanges,
        2 => PlanResult.Changes,
        var code => throw new ToolFailedException(command, code, Tail(result.StandardError.Length > 0 ? result.StandardError : result.StandardOutput)),
    };

    private static string Tail(string text) => string.Join('\n', text.Split('\n').Where(l => l.Length > 0).TakeLast(25));
}
