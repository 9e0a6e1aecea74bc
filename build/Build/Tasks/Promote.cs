using Pipeline.Host;
using Pipeline.SingleHost;

namespace Pipeline.Tasks;

[TaskName(nameof(Promote))]
[TaskDescription("Shifts all traffic to the new release (remaining canary steps, each judged) and retires the old one.")]
[IsDependentOn(typeof(PromoteGate))]
public sealed class Promote : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context)
    {
        if (!context.IsSingleHost) throw new NotAvailableException(nameof(Promote), context.EnvironmentName, "the Helm chart is not built yet.");
        return new SingleHostRelease(context.SingleHost).PromoteAsync();
    }
}
