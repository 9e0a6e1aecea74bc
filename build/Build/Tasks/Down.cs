using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(Down))]
[TaskDescription("Removes the environment and everything it started.")]
public sealed class Down : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(Down), context.EnvironmentName, "being built (see the open issues).");
}
