using System.Text;

namespace Pipeline.Tools;

/// <summary>
/// Cake hands arguments to .NET as one string, which .NET splits back into argv with the
/// Windows (CommandLineToArgvW) rules, on Linux too. Quoting by those rules makes the round trip exact,
/// so a PromQL query or an HAProxy socket command with quotes and backslashes arrives unchanged.
/// </summary>
public static class ArgvQuoting
{
    public static string Quote(string arg)
    {
        if (arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c == '"' || c == '\\' || c == '\''))
            return arg;
        var sb = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in arg)
        {
            if (c == '\\') { backslashes++; continue; }
            if (c == '"') { sb.Append('\\', backslashes * 2 + 1).Append('"'); backslashes = 0; continue; }
            sb.Append('\\', backslashes).Append(c);
            backslashes = 0;
        }
        sb.Append('\\', backslashes * 2).Append('"');
        return sb.ToString();
    }
}
