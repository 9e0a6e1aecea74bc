using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.Tools;

namespace Pipeline.Tasks;

[TaskName(nameof(Prerequisites))]
[TaskDescription("Installs what the pipeline needs and is missing (Debian packages; pinned helm/kubectl).")]
public sealed class Prerequisites : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var missing = AptPackages.Required.Where(p => context.Runner.Find(p.Binary) is null).Select(p => p.Package).Distinct().ToList();
        if (missing.Count == 0)
        {
            context.Log.Information("All Debian prerequisites present.");
            return;
        }
        context.Log.Information("Installing missing Debian packages: {0}", string.Join(", ", missing));
        context.Runner.Run(AptPackages.Update(), timeout: TimeSpan.FromMinutes(10));
        context.Runner.Run(AptPackages.Install(missing), timeout: TimeSpan.FromMinutes(20));
    }
}
