namespace Pipeline.Tools;

/// <summary>podman image commands (building, pulling, inspecting, saving).</summary>
public static partial class Podman
{
    /// <summary>
    /// Builds from a Containerfile. --pull=never: the base must already be local (built here or pulled by digest),
    /// so nothing silently fetches a different base; --timestamp 0 and --format oci make the digest depend on
    /// the inputs only. --no-cache: buildah 1.28 reuses a cached LABEL step when only the build-arg value
    /// changed, which stamped a new commit's image with the previous commit's revision (seen here).
    /// </summary>
    public static ToolCommand Build(string containerfile, string contextDir, string tag, IReadOnlyDictionary<string, string> buildArgs)
    {
        var args = new List<string> { "build", "--pull=never", "--no-cache", "--timestamp", "0", "--format", "oci", "--file", containerfile, "--tag", tag };
        foreach (var (k, v) in buildArgs.OrderBy(kv => kv.Key, StringComparer.Ordinal)) args.AddRange(["--build-arg", $"{k}={v}"]);
        args.Add(contextDir);
        return Command([.. args]);
    }

    public static ToolCommand Pull(string reference, bool tlsVerify = true) =>
        Command([
            "pull", .. (tlsVerify ? Array.Empty<string>() : ["--tls-verify=false"]), "--quiet", reference,
        ]);

    /// <summary>Local image id ("sha256:…"-less hex) of a reference, or a failure when it is not in local storage.</summary>
    public static ToolCommand ImageId(string reference) => Command("image", "inspect", "--format", "{{.Id}}", reference);

    /// <summary>The manifest digest of a local image ("sha256:…").</summary>
    public static ToolCommand ImageDigest(string reference) => Command("image", "inspect", "--format", "{{.Digest}}", reference);

    /// <summary>The image's labels as a JSON object ("null" when it has none).</summary>
    public static ToolCommand ImageLabels(string reference) => Command("image", "inspect", "--format", "{{json .Labels}}", reference);

    public static ToolCommand ImageExists(string reference) => Command("image", "exists", reference);

    public static ToolCommand RemoveImage(string reference) => Command("rmi", "--force", reference);

    /// <summary>
    /// Runs an image the way production must be able to: read-only root (only a /tmp tmpfs writable), no capabilities,
    /// no privilege gain, as uid 1654. Used by the hardening gate to prove the image works under these rules.
    /// </summary>
    public static ToolCommand ImageProbeRun(string name, string image, int hostPort, IReadOnlyDictionary<string, string> env, IReadOnlyList<string> volumes) =>
        Command([
            "run", "--detach", "--name", name,
            "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,mode=1777,size=64m",
            "--cap-drop=ALL", "--security-opt", "no-new-privileges", "--user", "1654:1654",
            "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
            "--publish", $"127.0.0.1:{hostPort}:8080",
            .. env.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => new[] { "--env", $"{kv.Key}={kv.Value}" }),
            .. volumes.SelectMany(v => new[] { "--volume", v }),
            image,
        ]);

    public static ToolCommand ImageProbeLogs(string name) => Command("logs", name);

    public static ToolCommand ImageProbeRemove(string name) => Command("rm", "--force", "--time", "0", name);
}
