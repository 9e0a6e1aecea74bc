using Pipeline.Host;
using Pipeline.Image;

namespace Pipeline.Tasks;

[TaskName(nameof(Push))]
[TaskDescription("Pushes the scanned image to the environment's registry and records its digest.")]
[IsDependentOn(typeof(ImageScan))]
public sealed class Push : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        ImageReleaser.Push(context, context.AppImage
            ?? throw new InvalidOperationException("No image was built in this run (ImageBuild did not run)."));
}
