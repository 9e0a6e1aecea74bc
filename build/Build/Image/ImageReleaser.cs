using System.Text.Json;
using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Records;
using Pipeline.Tools;

namespace Pipeline.Image;

/// <summary>
/// Build → push → record, for the tasks and for other areas that need an image (single-host tests, deploys).
/// Everything downstream receives registry/repository@sha256:…; a tag is never handed out.
/// </summary>
public static class ImageReleaser
{
    public static string ImageJson(BuildPaths p) => Path.Combine(p.Artifacts, "image.json");

    /// <summary>Base (built or pulled) + app image for <paramref name="appRelease"/>; sets context.AppImage.</summary>
    public static BuiltImage Build(BuildContext context, int appRelease)
    {
        var baseImage = BaseImage.Ensure(context);
        var image = AppImage.Build(context, baseImage, appRelease);
        context.AppImage = image;
        context.Record.Facts["image.local"] = image.LocalTag;
        context.Record.Facts["image.version"] = image.Version;
        context.Record.Facts["image.revision"] = image.Revision;
        return image;
    }

    /// <summary>Pushes to the environment's registry (starting the local one for single-host) and returns repo@sha256:….</summary>
    public static string Push(BuildContext context, BuiltImage image)
    {
        var c = context.Config;
        var registry = c.Target == TargetKind.SingleHost ? LocalRegistry.Ensure(context) : c.Image.Registry;
        var tlsVerify = !LocalRegistry.IsLoopback(registry);
        // The tag only names the upload; what is recorded and deployed is the digest the registry answers with.
        var pushRef = $"{registry}/{c.Image.Repository}:{image.LocalTag.Split(':')[^1]}";
        var digestFile = Path.Combine(context.Paths.Artifacts, "image", $"digest-r{image.AppRelease}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(digestFile)!);
        context.Runner.Run(Skopeo.Copy("containers-storage:" + image.LocalTag, "docker://" + pushRef, tlsVerify, digestFile));
        if (context.DryRun)
        {
            // A dry run pushes nothing, so there is no digest yet. The placeholder is still a digest reference, so
            // the deploy tasks after Push plan their real commands (and their digest checks run) instead of failing
            // with "No image to deploy"; every command and the run record show this all-zero digest, never a real one.
            var planned = DryRunPlaceholder(registry, c.Image.Repository);
            context.Record.Facts[SingleHostArgs.ImageDigestFact] = planned;
            context.Log.Information("Dry run: would push {0} and deploy it by the digest the registry answers with; the plan below shows it as {1}", pushRef, planned);
            return planned;
        }

        var digest = File.ReadAllText(digestFile).Trim();
        var inRegistry = context.Runner.Run(Skopeo.InspectDigest(pushRef, tlsVerify)).StandardOutput.Trim();
        if (inRegistry != digest)
            throw new InvalidOperationException($"The registry reports {inRegistry} for {pushRef}, but the push wrote {digest}");
        var digestRef = $"{registry}/{c.Image.Repository}@{digest}";
        if (!ConfigValidator.IsDigestReference(digestRef))
            throw new InvalidOperationException($"Pushed image reference '{digestRef}' is not a digest reference");

        context.AppImage = image with { DigestReference = digestRef };
        context.Record.Facts["image.digest"] = digestRef;
        context.Record.Facts[$"image.digest.r{image.AppRelease}"] = digestRef;
        WriteImageJson(context, context.AppImage);
        context.Log.Information("Pushed {0}", digestRef);
        return digestRef;
    }

    /// <summary>What a dry run deploys in place of the digest a real push would record: repo@sha256:000…0.</summary>
    public static string DryRunPlaceholder(string registry, string repository) => $"{registry}/{repository}@sha256:{new string('0', 64)}";

    /// <summary>The milestone API for other areas: build the base and app for a release, push, return repo@sha256:….</summary>
    public static string BuildAndPush(BuildContext context, int appRelease) => Push(context, Build(context, appRelease));

    private static void WriteImageJson(BuildContext context, BuiltImage image)
    {
        var doc = new
        {
            digestReference = image.DigestReference,
            appRelease = image.AppRelease,
            version = image.Version,
            revision = image.Revision,
            localTag = image.LocalTag,
            localDigest = image.LocalDigest,
            baseImage = image.BaseImage,
            baseDigest = context.Record.Facts.GetValueOrDefault("image.base.digest"),
        };
        var json = JsonSerializer.Serialize(doc, RunRecord.Json);
        Directory.CreateDirectory(context.Paths.Artifacts);
        File.WriteAllText(ImageJson(context.Paths), json + "\n");
        File.WriteAllText(Path.Combine(context.Paths.Artifacts, "image", $"image-r{image.AppRelease}.json"), json + "\n");
    }
}
