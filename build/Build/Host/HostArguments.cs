using Cake.Core.Diagnostics;

namespace Pipeline.Host;

/// <summary>Parses <c>--key=value</c>, <c>--key value</c> and bare <c>--flag</c> arguments (Cake's syntax).</summary>
public sealed record HostArguments(string Target, Verbosity Verbosity, bool Tree, ILookup<string, string> Lookup, IReadOnlyList<string> Errors)
{
    public const string DefaultTarget = "Default";

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var errors = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                errors.Add($"Unexpected argument '{arg}'. Arguments look like --target=Release or --env=local.");
                continue;
            }
            var body = arg.TrimStart('-');
            var eq = body.IndexOf('=');
            if (eq >= 0) pairs.Add(new(body[..eq].ToLowerInvariant(), body[(eq + 1)..]));
            else if (i + 1 < args.Count && !args[i + 1].StartsWith('-')) pairs.Add(new(body.ToLowerInvariant(), args[++i]));
            else pairs.Add(new(body.ToLowerInvariant(), "true"));
        }
        var lookup = pairs.ToLookup(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var target = lookup["target"].LastOrDefault() ?? lookup["t"].LastOrDefault() ?? DefaultTarget;
        var verbosityText = lookup["verbosity"].LastOrDefault() ?? lookup["v"].LastOrDefault() ?? "normal";
        if (!Enum.TryParse<Verbosity>(verbosityText, ignoreCase: true, out var verbosity) || !Enum.IsDefined(verbosity))
        {
            verbosity = Verbosity.Normal;
            errors.Add($"Unknown --verbosity '{verbosityText}'. Use quiet, minimal, normal, verbose or diagnostic.");
        }
        var tree = lookup["tree"].Any(v => v != "false");
        return new HostArguments(target, verbosity, tree, lookup, errors);
    }
}
