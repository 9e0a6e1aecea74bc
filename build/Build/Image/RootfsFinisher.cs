using System.Text;

namespace Pipeline.Image;

/// <summary>
/// What the packages' maintainer scripts would have done (they never run: there is no shell to run them),
/// plus the distroless rules: a non-root user, no shell, nothing writable except /tmp, no docs.
/// </summary>
public static class RootfsFinisher
{
    public const int AppUid = 1654;
    public const string AppUser = "app";

    /// <summary>Paths removed even if a package ships them: a shell or package manager is an attacker's toolkit.</summary>
    public static readonly IReadOnlyList<string> Forbidden =
    [
        "bin/sh", "bin/bash", "bin/dash", "bin/busybox", "usr/bin/sh", "usr/bin/bash", "usr/bin/dash", "usr/bin/busybox",
        "usr/bin/apt", "usr/bin/apt-get", "usr/bin/dpkg", "bin/dpkg", "sbin/apk", "usr/bin/microdnf",
    ];

    /// <summary>Documentation and translations: megabytes the app never reads.</summary>
    public static readonly IReadOnlyList<string> Pruned =
    [
        "usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/lintian", "usr/share/locale",
        "usr/share/gcc", "usr/share/gdb", "usr/share/bug", "usr/share/common-licenses",
        // glibc's iconv modules (8 MB, 2.9 MB compressed): .NET does its own text encoding and never calls iconv_open.
        "usr/lib/x86_64-linux-gnu/gconv",
    ];

    public static void Finish(string rootfs, IReadOnlyDictionary<string, string> controlFieldsByPackage)
    {
        foreach (var p in Pruned) DeleteIfExists(Path.Combine(rootfs, p));
        foreach (var p in Forbidden) DeleteIfExists(Path.Combine(rootfs, p));

        WriteUsers(rootfs);
        WriteCaBundle(rootfs);
        Write(rootfs, "etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n");
        // tzdata's postinst would set these; UTC keeps logs comparable across hosts.
        Write(rootfs, "etc/timezone", "Etc/UTC\n");
        var localtime = Path.Combine(rootfs, "etc/localtime");
        DeleteIfExists(localtime);
        File.CreateSymbolicLink(localtime, "/usr/share/zoneinfo/Etc/UTC");

        // distroless convention: one control file per package, so CVE scanners (Trivy, Grype) detect the OS packages.
        var statusDir = Path.Combine(rootfs, "var/lib/dpkg/status.d");
        Directory.CreateDirectory(statusDir);
        foreach (var (name, fields) in controlFieldsByPackage)
            File.WriteAllText(Path.Combine(statusDir, name), InsertStatus(fields));

        var tmp = Path.Combine(rootfs, "tmp");
        Directory.CreateDirectory(tmp);
        // 1777: the only writable place, sticky so one process cannot delete another's files.
        File.SetUnixFileMode(tmp, (UnixFileMode)Convert.ToInt32("1777", 8));
        Directory.CreateDirectory(Path.Combine(rootfs, "home", AppUser));
        Directory.CreateDirectory(Path.Combine(rootfs, "app"));
    }

    private static void WriteUsers(string rootfs)
    {
        // No login shell exists: /usr/sbin/nologin is named only so tools that parse passwd are satisfied.
        Write(rootfs, "etc/passwd",
            "root:x:0:0:root:/root:/usr/sbin/nologin\n" +
            $"{AppUser}:x:{AppUid}:{AppUid}:{AppUser}:/home/{AppUser}:/usr/sbin/nologin\n" +
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        Write(rootfs, "etc/group", $"root:x:0:\n{AppUser}:x:{AppUid}:\nnogroup:x:65534:\n");
    }

    /// <summary>What update-ca-certificates produces: every Mozilla CA concatenated, in a stable order.</summary>
    private static void WriteCaBundle(string rootfs)
    {
        var dir = Path.Combine(rootfs, "usr/share/ca-certificates");
        var bundle = new StringBuilder();
        if (Directory.Exists(dir))
            foreach (var crt in Directory.GetFiles(dir, "*.crt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var pem = File.ReadAllText(crt);
                bundle.Append(pem);
                if (!pem.EndsWith('\n')) bundle.Append('\n');
            }
        if (bundle.Length == 0) throw new InvalidOperationException($"No CA certificates under {dir}: is ca-certificates in {BasePackages.FileName}?");
        Write(rootfs, "etc/ssl/certs/ca-certificates.crt", bundle.ToString());
    }

    private static string InsertStatus(string controlFields)
    {
        var lines = controlFields.Replace("\r", "").TrimEnd('\n').Split('\n').ToList();
        var at = lines.FindIndex(l => l.StartsWith("Package:", StringComparison.Ordinal));
        if (at < 0) throw new InvalidOperationException($"dpkg-deb gave control fields without a Package line: '{controlFields}'");
        lines.Insert(at + 1, "Status: install ok installed");
        return string.Join('\n', lines) + "\n";
    }

    private static void Write(string rootfs, string relative, string content)
    {
        var path = Path.Combine(rootfs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
        File.WriteAllText(path, content);
    }

    private static void DeleteIfExists(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
