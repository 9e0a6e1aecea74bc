using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(ImageBuild))]
[TaskDescription("Builds the lean runtime base and the app image (reproducible digest).")]
[IsDependentOn(typeof(Build))]
public sealed class ImageBuild : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(ImageBuild), context.EnvironmentName, "being built (see the open issues).");
}
