using Pipeline.Host;
using Pipeline.Image.Scan;

namespace Pipeline.Tasks;

[TaskName(nameof(ImageScan))]
[TaskDescription("Gate: secrets, hardening, SBOM and CVE policy for the built image; fails closed.")]
[IsDependentOn(typeof(ImageBuild))]
public sealed class ImageScan : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var image = context.AppImage ?? throw new InvalidOperationException("No image was built in this run (ImageBuild did not run).");
        ImageScanner.Enforce(ImageScanner.Scan(context, image), context.Paths);
    }
}
