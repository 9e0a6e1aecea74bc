using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(Push))]
[TaskDescription("Pushes the scanned image to the environment's registry and records its digest.")]
[IsDependentOn(typeof(ImageScan))]
public sealed class Push : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(Push), context.EnvironmentName, "being built (see the open issues).");
}
