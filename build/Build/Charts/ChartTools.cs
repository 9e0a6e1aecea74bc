using Cake.Core.Diagnostics;
using Pipeline.Tools;

namespace Pipeline.Charts;

/// <summary>
/// What offline chart validation needs on a fresh machine: the pinned helm (ToolProvisioning) and the pinned node
/// validators (charts/validate, `npm ci` from its package-lock.json). The install is skipped when node_modules
/// already holds exactly the locked tree (npm writes node_modules/.package-lock.json), so a second run costs nothing.
/// </summary>
public sealed record ChartTools(string RepoRoot)
{
    public string Chart => Path.Combine(RepoRoot, "charts", "orders");
    public string ValidateDir => Path.Combine(RepoRoot, "charts", "validate");
    public string SchemaScript => Path.Combine(ValidateDir, "validate.mjs");
    public string CelScript => Path.Combine(ValidateDir, "cel.mjs");

    public void Ensure(IToolRunner runner, string toolsDir, ICakeLog log)
    {
        ToolProvisioning.Ensure(runner, toolsDir, log);
        if (runner.Find("node") is null)
        {
            const string message = "node is not installed: the chart's schema and admission-policy validators run on Node.js (apt-get install nodejs npm).";
            if (!runner.DryRun) throw new InvalidOperationException(message);
            log.Warning("[dry-run] {0}", message);
        }
        if (NodeModulesCurrent()) return;
        log.Information("Installing the chart validators (npm ci in {0})", ValidateDir);
        runner.Run(Npm.Ci(ValidateDir), timeout: TimeSpan.FromMinutes(5));
    }

    /// <summary>True when node_modules was installed from this exact lock file (npm's hidden lockfile records it).</summary>
    public bool NodeModulesCurrent()
    {
        var hidden = Path.Combine(ValidateDir, "node_modules", ".package-lock.json");
        var locked = Path.Combine(ValidateDir, "package-lock.json");
        if (!File.Exists(hidden) || !File.Exists(locked)) return false;
        // The hidden lockfile lists the same "packages" entries as the lock; a changed pin changes its versions.
        return LockedVersions(locked).SetEquals(LockedVersions(hidden));
    }

    private static HashSet<string> LockedVersions(string lockFile)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(lockFile));
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (!doc.RootElement.TryGetProperty("packages", out var packages)) return set;
        foreach (var p in packages.EnumerateObject())
            if (p.Name.Length > 0 && p.Value.TryGetProperty("version", out var v)) set.Add(p.Name + "@" + v.GetString());
        return set;
    }
}
