namespace Pipeline.Tools;

/// <summary>The Debian packages the single-host target and the image tasks run on, and the argv that installs them.</summary>
public static class AptPackages
{
    public sealed record Requirement(string Binary, string Package);

    public static readonly IReadOnlyList<Requirement> Required =
    [
        new("podman", "podman"), new("runc", "runc"),
        // The app's bridge network: netavark (not the CNI plugins the podman package also accepts) sets up its
        // published ports with iptables.
        new("/usr/lib/podman/netavark", "netavark"), new("iptables", "iptables"), new("buildah", "buildah"), new("skopeo", "skopeo"),
        new("umoci", "umoci"), new("docker-registry", "docker-registry"), new("haproxy", "haproxy"),
        new("prometheus", "prometheus"), new("wrk", "wrk"), new("hey", "hey"), new("psql", "postgresql-client"),
        new("pg_ctl", "postgresql"), new("socat", "socat"), new("unzip", "unzip"), new("newuidmap", "uidmap"),
        // The app image is Native AOT: the ILCompiler links the binary with clang.
        new("clang", "clang"),
    ];

    /// <summary>Packages whose binary <paramref name="find"/> cannot locate, each once, in declaration order.</summary>
    public static IReadOnlyList<string> Missing(Func<string, string?> find) =>
        Required.Where(r => find(r.Binary) is null).Select(r => r.Package).Distinct().ToList();

    public static ToolCommand Update() => new("apt-get", "update", "-qq");

    public static ToolCommand Install(IEnumerable<string> packages) =>
        new ToolCommand("apt-get", ["install", "-y", "-qq", .. packages])
        {
            Environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" },
        };
}
