using Pipeline.Host;
using Pipeline.Image;

namespace Pipeline.Tasks;

[TaskName(nameof(ImageBuild))]
[TaskDescription("Builds the lean runtime base and the app image (reproducible digest). --app-release=1|2|3")]
[IsDependentOn(typeof(Prerequisites))]
[IsDependentOn(typeof(Build))]
public sealed class ImageBuild : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => ImageReleaser.Build(context, context.AppRelease);
}
