using Pipeline.Host;
using Pipeline.SingleHost;

namespace Pipeline.Tasks;

[TaskName(nameof(Rollback))]
[TaskDescription("Returns all traffic to the previous release in the audit trail (instantly if it still runs).")]
public sealed class Rollback : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context)
    {
        if (!context.IsSingleHost) throw new NotAvailableException(nameof(Rollback), context.EnvironmentName, "the Helm chart is not built yet.");
        return new SingleHostRelease(context.SingleHost).RollbackAsync();
    }
}
