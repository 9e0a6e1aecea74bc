using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(Rollback))]
[TaskDescription("Returns all traffic to the previous release in the audit trail (instantly if it still runs).")]
public sealed class Rollback : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context)
    {
        return context.Release.RollbackAsync();
    }
}
