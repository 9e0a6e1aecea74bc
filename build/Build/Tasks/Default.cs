using Pipeline.Host;
using Cake.Core.Diagnostics;

namespace Pipeline.Tasks;

[TaskName(nameof(Default))]
[TaskDescription("Lists the targets with one-line descriptions.")]
public sealed class Default : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var tasks = TaskInfo.All(typeof(Default).Assembly).Where(t => t.Name != nameof(Default)).ToList();
        var width = tasks.Select(t => t.Name.Length).DefaultIfEmpty(0).Max() + 2;
        context.Log.Information("Targets (./build.sh --target=<name> [--env=local|dev|staging|prod] [--dryrun] [--tree]):");
        foreach (var t in tasks) context.Log.Information("  {0}{1}", t.Name.PadRight(width), t.Description);
    }
}
