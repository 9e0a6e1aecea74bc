using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(Promote))]
[TaskDescription("Shifts all traffic to the new release and retires the old one.")]
[IsDependentOn(typeof(PromoteGate))]
public sealed class Promote : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(Promote), context.EnvironmentName, "being built (see the open issues).");
}
