using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(Up))]
[TaskDescription("Creates the environment from its declared configuration (idempotent).")]
public sealed class Up : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(Up), context.EnvironmentName, "being built (see the open issues).");
}
