using System.Security.Cryptography;
using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Tools;

namespace Pipeline.Image;

/// <summary>
/// The runtime base: "local" assembles a distroless-style image from the pinned Debian packages;
/// any other value of image.base is a digest reference that is pulled (and nothing else is accepted).
/// </summary>
public static class BaseImage
{
    public const string LocalRepository = "localhost/orders-base";

    /// <summary>Returns the reference the app's Containerfile builds FROM (present in local storage afterwards).</summary>
    public static string Ensure(BuildContext context)
    {
        var configured = context.Config.Image.Base;
        if (configured == "local") return BuildLocal(context);
        if (!ConfigValidator.IsDigestReference(configured))
            throw new InvalidOperationException($"{context.Config.SourceFile}: image.base '{configured}' is not 'local' nor pinned by digest");
        context.Runner.Run(Podman.Pull(configured, tlsVerify: !LocalRegistry.IsLoopback(configured)));
        context.Record.Facts["image.base"] = configured;
        return configured;
    }

    public static string BuildLocal(BuildContext context)
    {
        var packages = BasePackages.Load(BasePackages.ManifestPath(context.Paths));
        var work = Path.Combine(context.Paths.Artifacts, "image", "base");
        var debs = Path.Combine(work, "debs");
        var rootfs = Path.Combine(work, "rootfs");
        var tarball = Path.Combine(work, "rootfs.tar");
        Directory.CreateDirectory(debs);
        // One build at a time in the shared work folder (the next run waits its turn; the result is cached).
        using var _ = context.DryRun ? SingleHost.EnvironmentLock.AcquireNone()
            : SingleHost.EnvironmentLock.AcquireWaiting(work + ".lock", context.Actor, "ImageBuild (base image)", TimeSpan.FromMinutes(15));

        var missing = packages.Where(p => FindDeb(debs, p) is null).ToList();
        if (missing.Count > 0) context.Runner.Run(BaseImageCommands.AptDownload(debs, missing));
        if (context.DryRun) return $"{LocalRepository}:dry-run";

        var control = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(rootfs)) Directory.Delete(rootfs, recursive: true);
        Directory.CreateDirectory(rootfs);
        foreach (var p in packages)
        {
            var deb = FindDeb(debs, p) ?? throw new InvalidOperationException(
                $"apt-get download did not produce {p.Name} {p.Version}: the mirror may no longer carry it; refresh {BasePackages.FileName}");
            context.Runner.Run(BaseImageCommands.Extract(deb, rootfs));
            control[p.Name] = context.Runner.Run(BaseImageCommands.ControlFields(deb)).StandardOutput;
        }
        RootfsFinisher.Finish(rootfs, control);
        context.Runner.Run(BaseImageCommands.LdConfig(rootfs));
        // ldconfig's aux-cache holds inode numbers and times: different on every build.
        File.Delete(Path.Combine(rootfs, "var/cache/ldconfig/aux-cache"));
        context.Runner.Run(BaseImageCommands.Tar(rootfs, tarball));

        // The tag is the tarball's hash: the same inputs are never rebuilt, different inputs never share a tag.
        var tag = $"{LocalRepository}:{Sha256File(tarball)[..16]}";
        if (context.Runner.Run(Podman.ImageExists(tag), allowFailure: true).ExitCode != 0)
        {
            var container = $"orders-base-{Guid.NewGuid():N}"[..24];
            context.Runner.Run(Buildah.FromScratch(container));
            try
            {
                context.Runner.Run(Buildah.Add(container, tarball));
                context.Runner.Run(Buildah.Config(container, ConfigOptions(packages)));
                context.Runner.Run(Buildah.Commit(container, tag));
            }
            catch
            {
                context.Runner.Run(Buildah.Remove(container), allowFailure: true);
                throw;
            }
        }
        var digest = context.Runner.Run(Podman.ImageDigest(tag)).StandardOutput.Trim();
        context.Log.Information("Base image {0} ({1}), {2} pinned packages", tag, digest, packages.Count);
        context.Record.Facts["image.base"] = tag;
        context.Record.Facts["image.base.digest"] = digest;
        return tag;
    }

    public static IReadOnlyList<string> ConfigOptions(IReadOnlyList<BasePackage> packages) =>
    [
        "--user", $"{RootfsFinisher.AppUid}:{RootfsFinisher.AppUid}",
        "--workingdir", "/",
        "--env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "--env", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
        "--label", "org.opencontainers.image.title=orders-base",
        "--label", "org.opencontainers.image.description=Distroless-style runtime base: pinned Debian 12 packages, non-root, no shell",
        "--label", "org.opencontainers.image.base.name=scratch",
    ];

    /// <summary>The downloaded .deb for a pin, only if its SHA-256 matches the manifest (anything else is deleted).</summary>
    private static string? FindDeb(string dir, BasePackage p)
    {
        foreach (var file in Directory.GetFiles(dir, $"{p.Name}_*.deb"))
        {
            if (Sha256File(file) == p.Sha256) return file;
            var version = Uri.UnescapeDataString(Path.GetFileName(file).Split('_')[1]);
            if (version == p.Version)
                throw new InvalidOperationException(
                    $"{Path.GetFileName(file)}: SHA-256 {Sha256File(file)} does not match the pin {p.Sha256} in {BasePackages.FileName}; refusing to build the base from it");
            File.Delete(file); // another version from an earlier pin
        }
        return null;
    }

    public static string Sha256File(string file)
    {
        using var s = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
