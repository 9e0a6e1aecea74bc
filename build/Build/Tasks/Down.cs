using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.SingleHost;

namespace Pipeline.Tasks;

[TaskName(nameof(Down))]
[TaskDescription("Removes the environment and everything it started (the audit trail and the registry stay).")]
public sealed class Down : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (!context.IsSingleHost) throw new NotAvailableException(nameof(Down), context.EnvironmentName, "Kubernetes environments are removed by Terraform (not yet built).");
        var env = new SingleHostEnvironment(context.SingleHost);
        using var _ = env.Lock(nameof(Down));
        foreach (var r in env.Down()) context.Log.Information("Down: removed {0}", r);
    }
}
