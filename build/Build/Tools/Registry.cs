namespace Pipeline.Tools;

/// <summary>argv for Debian's docker-registry (CNCF distribution 2.8): the local OCI registry.</summary>
public static class Registry
{
    public static ToolCommand Serve(string configFile) => new("docker-registry", "serve", configFile);
}
