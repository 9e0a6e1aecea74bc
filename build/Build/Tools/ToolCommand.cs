using System.Collections.Immutable;
using System.Text;

namespace Pipeline.Tools;

/// <summary>
/// An external command as data. Builders return these; only <see cref="ToolRunner"/> executes them,
/// so every command line is unit-testable and <c>--dryrun</c> can print it instead.
/// </summary>
public sealed record ToolCommand(string Tool, IReadOnlyList<string> Args)
{
    public ToolCommand(string tool, params string[] args) : this(tool, (IReadOnlyList<string>)args) { }

    public string? WorkingDirectory { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;
    public string? StandardInput { get; init; }

    /// <summary>Show the command's output live in the log (long runs people watch, e.g. dotnet test), not only on failure.</summary>
    public bool EchoOutput { get; init; }

    /// <summary>Values that must never reach a log (passwords passed on stdin or in env).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Human-facing form, shell-quoted, secrets masked.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Quote(Tool));
        foreach (var a in Args) sb.Append(' ').Append(Quote(a));
        var text = sb.ToString();
        foreach (var s in Secrets.Where(s => s.Length > 0)) text = text.Replace(s, "***");
        return text;
    }

    public static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || "-_./:=@,+%^".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    public bool Equals(ToolCommand? other) =>
        other is not null && Tool == other.Tool && Args.SequenceEqual(other.Args)
        && WorkingDirectory == other.WorkingDirectory && StandardInput == other.StandardInput
        && Environment.Count == other.Environment.Count && !Environment.Except(other.Environment).Any();

    public override int GetHashCode() => HashCode.Combine(Tool, Args.Count, WorkingDirectory);
}

public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public static readonly ToolResult DryRun = new(0, "", "");
}

public sealed class ToolMissingException(string tool, string hint)
    : Exception($"Required tool '{tool}' was not found on PATH. {hint}")
{
    public string Tool { get; } = tool;
}

public sealed class ToolFailedException(ToolCommand command, int exitCode, string stderrTail)
    : Exception($"'{command}' failed with exit code {exitCode}.{(stderrTail.Length > 0 ? "\n--- last lines of its output ---\n" + stderrTail : "")}")
{
    public int ExitCode { get; } = exitCode;
}
