using Pipeline.Tools;

namespace Pipeline.Image;

/// <summary>argv for the Debian tools that assemble the base's root filesystem.</summary>
public static class BaseImageCommands
{
    /// <summary>Downloads exact versions into <paramref name="directory"/> (no install, no scripts run).</summary>
    public static ToolCommand AptDownload(string directory, IEnumerable<BasePackage> packages) =>
        new("apt-get", ["download", "-qq", .. packages.Select(p => p.AptSpec)]) { WorkingDirectory = directory };

    /// <summary>Unpacks a .deb's data into <paramref name="rootfs"/> without running maintainer scripts.</summary>
    public static ToolCommand Extract(string deb, string rootfs) => new("dpkg-deb", "--extract", deb, rootfs);

    /// <summary>The .deb's control fields (written into var/lib/dpkg/status.d so scanners see the OS packages).</summary>
    public static ToolCommand ControlFields(string deb) => new("dpkg-deb", "--field", deb);

    /// <summary>Builds etc/ld.so.cache inside the rootfs with the host's ldconfig.</summary>
    public static ToolCommand LdConfig(string rootfs) => new("ldconfig", "-r", rootfs);

    /// <summary>
    /// A byte-for-byte reproducible tarball: sorted names, fixed mtime, numeric root ownership, one format.
    /// Any of these left to defaults (readdir order, file times, the builder's user names) changes the digest.
    /// </summary>
    public static ToolCommand Tar(string rootfs, string output) =>
        new("tar", "--create", "--file", output, "--directory", rootfs, "--sort=name", "--mtime=@0",
            "--owner=0", "--group=0", "--numeric-owner", "--format=gnu", ".");
}
