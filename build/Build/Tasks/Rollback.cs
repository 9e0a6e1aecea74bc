using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(Rollback))]
[TaskDescription("Returns all traffic to the previous release in the audit trail.")]
public sealed class Rollback : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(Rollback), context.EnvironmentName, "being built (see the open issues).");
}
