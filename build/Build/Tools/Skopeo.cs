namespace Pipeline.Tools;

/// <summary>argv for skopeo: copying images between local storage, OCI layouts and registries.</summary>
public static class Skopeo
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> (transport-qualified, e.g.
    /// containers-storage:… or docker://…) and writes the manifest digest the destination stored to <paramref name="digestFile"/>.
    /// </summary>
    public static ToolCommand Copy(string source, string destination, bool tlsVerify = true, string? digestFile = null)
    {
        var args = new List<string> { "copy", "--quiet" };
        if (!tlsVerify) args.AddRange(["--src-tls-verify=false", "--dest-tls-verify=false"]);
        if (digestFile is not null) args.AddRange(["--digestfile", digestFile]);
        args.AddRange([source, destination]);
        return new ToolCommand("skopeo", args);
    }

    /// <summary>The manifest digest of an image in a registry (what a deployment pins).</summary>
    public static ToolCommand InspectDigest(string dockerReference, bool tlsVerify = true) =>
        new("skopeo", ["inspect", .. TlsArgs(tlsVerify), "--format", "{{.Digest}}", "docker://" + dockerReference]);

    /// <summary>The image config (User, Env, Labels, Entrypoint, History) as JSON.</summary>
    public static ToolCommand InspectConfig(string transportReference, bool tlsVerify = true) =>
        new("skopeo", ["inspect", .. TlsArgs(tlsVerify), "--config", transportReference]);

    private static string[] TlsArgs(bool tlsVerify) => tlsVerify ? [] : ["--tls-verify=false"];
}
