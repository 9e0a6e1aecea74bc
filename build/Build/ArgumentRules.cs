using System.Globalization;
using Cake.Core;
using Pipeline.Config;

namespace Pipeline;

/// <summary>
/// Every command-line argument checked before the first task runs (the host exits 2 and nothing ran). Checked
/// late, a bad value surfaced after Build, ImageBuild, Push and Up had run — or never: `--dry-run` (a typo of
/// --dryrun) used to be ignored, so the run executed for real.
/// </summary>
public static class ArgumentRules
{
    /// <summary>Every argument the pipeline reads (host and tasks). Anything else is a typo.</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "target", "t", "verbosity", "v", "tree",
        Args.Env, Args.DryRun, Args.Approve, Args.ApprovedBy, Args.OverrideWindow, Args.AppRelease,
        SingleHostArgs.Image, SingleHostArgs.CandidateEnv, GateArgs.Step, GateArgs.Prometheus, Args.Confirm, Args.Phases,
    ];

    private static readonly string[] Flags = ["tree", Args.DryRun, Args.Approve];

    public static List<string> Validate(ICakeArguments arguments)
    {
        var e = new List<string>();
        var given = arguments.GetArguments().Keys.ToList();
        foreach (var name in given.Where(n => !Known.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            var near = Known.Where(k => k.Length > 1).OrderBy(k => Distance(k, name.ToLowerInvariant())).First();
            e.Add($"Unknown argument --{name}." + (Distance(near, name.ToLowerInvariant()) <= 2 ? $" Did you mean --{near}?" : "")
                  + $" Known: {string.Join(", ", Known.Where(k => k.Length > 1).Select(k => "--" + k))}.");
        }
        string? Last(string name) => arguments.GetArguments(name).LastOrDefault();

        // Every argument holds one value: a second one used to win silently (two --candidate-env flags injected only
        // the last fault, and a "+2 points of errors" canary ran without errors).
        foreach (var name in given.Where(n => Known.Contains(n, StringComparer.OrdinalIgnoreCase)))
            if (arguments.GetArguments(name).Count > 1)
                e.Add($"--{name} is given {arguments.GetArguments(name).Count} times; give it once"
                      + (string.Equals(name, SingleHostArgs.CandidateEnv, StringComparison.OrdinalIgnoreCase) ? " with every variable in it, comma-separated (--candidate-env=ORDERS_FAULT_ERROR_RATE=0.02,ORDERS_FAULT_AFTER_REQUESTS=20)." : "."));

        foreach (var flag in Flags)
            if (Last(flag) is { } v && v is not ("true" or "false"))
                e.Add($"--{flag}: '{v}' is not true or false (a bare --{flag} means true).");

        if (Last(Args.AppRelease) is { } release && !(int.TryParse(release, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 3))
            e.Add($"--{Args.AppRelease}: '{release}' must be 1, 2 or 3 (the app releases in app/Orders.Api/Configuration/BuildInfo.cs).");

        if (Last(SingleHostArgs.Image) is { } image && !ConfigValidator.IsDigestReference(image))
            e.Add(new NotADigestException(image, "--" + SingleHostArgs.Image).Message + ".");

        if (Last(GateArgs.Step) is { } step && !(int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w is >= 0 and <= 100))
            e.Add($"--{GateArgs.Step}: '{step}' must be a canary weight between 0 and 100.");

        if (Last(GateArgs.Prometheus) is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            e.Add($"--{GateArgs.Prometheus}: '{url}' is not an absolute http(s) URL.");

        if (Last(SingleHostArgs.CandidateEnv) is { } env)
            e.AddRange(CandidateEnvErrors(env));

        var target = arguments.GetArguments("target").LastOrDefault() ?? arguments.GetArguments("t").LastOrDefault();
        var envName = Last(Args.Env) ?? "local";
        if (string.Equals(target, "Reset", StringComparison.OrdinalIgnoreCase) && Last(Args.Confirm) != envName)
            e.Add($"Reset removes environment '{envName}' and starts a new audit trail: confirm with --{Args.Confirm}={envName}.");

        // The drill resets the environment and uses the local environment's fixed ports: local only, confirmed.
        if (string.Equals(target, "ReleaseDrill", StringComparison.OrdinalIgnoreCase))
        {
            if (envName != "local")
                e.Add($"ReleaseDrill runs on the single-host environment 'local' only, not '{envName}' (it resets the environment and drives it with fault drills).");
            else if (Last(Args.Confirm) != envName)
                e.Add($"ReleaseDrill starts with a Reset of '{envName}' (a new audit trail): confirm with --{Args.Confirm}={envName}.");
            if (Last(Args.Phases) is { } phases)
                try { Drill.Phases.DrillPlan.Select(Drill.Phases.DrillPlan.Full(), phases); }
                catch (ArgumentException x) { e.Add(x.Message); }
        }
        else if (arguments.HasArgument(Args.Phases))
            e.Add($"--{Args.Phases} selects phases of ReleaseDrill only (target here: '{target ?? "Default"}').");

        if (arguments.HasArgument(Args.ApprovedBy) && Last(Args.ApprovedBy) is null or "" or "true")
            e.Add($"--{Args.ApprovedBy}: name who approved (--{Args.ApprovedBy}=<login>).");
        return e;
    }

    /// <summary>--candidate-env=ORDERS_FAULT_X=v[,ORDERS_FAULT_Y=w]: only the app's fault-injection switches, each once.</summary>
    private static IEnumerable<string> CandidateEnvErrors(string text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pairs = text.Split(',', StringSplitOptions.TrimEntries);
        foreach (var pair in pairs)
        {
            var kv = pair.Split('=', 2);
            if (kv.Length != 2 || kv[0].Length == 0)
                yield return $"--{SingleHostArgs.CandidateEnv}: '{pair}' is not NAME=value (e.g. ORDERS_FAULT_ERROR_RATE=0.3).";
            else if (!kv[0].StartsWith("ORDERS_FAULT_", StringComparison.Ordinal) || kv[0].Any(c => !(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')))
                yield return $"--{SingleHostArgs.CandidateEnv}: '{kv[0]}' is not an ORDERS_FAULT_* variable (only fault injection reaches the candidate this way).";
            else if (!seen.Add(kv[0]))
                yield return $"--{SingleHostArgs.CandidateEnv}: '{kv[0]}' is given twice.";
        }
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
