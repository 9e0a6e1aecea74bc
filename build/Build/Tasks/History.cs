using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(History))]
[TaskDescription("Prints the audit trail of deploys, promotions and rollbacks.")]
public sealed class History : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(History), context.EnvironmentName, "being built (see the open issues).");
}
