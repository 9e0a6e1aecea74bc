namespace Pipeline.Tools;

/// <summary>argv for buildah: assembling the base image from a root filesystem tarball, without a Dockerfile.</summary>
public static class Buildah
{
    public static ToolCommand FromScratch(string containerName) =>
        new("buildah", "from", "--name", containerName, "scratch");

    public static ToolCommand From(string image, string containerName) =>
        new("buildah", "from", "--pull=never", "--name", containerName, image);

    /// <summary>Copies files as they are (no unpacking).</summary>
    public static ToolCommand Copy(string containerName, string source, string destination) =>
        new("buildah", "copy", containerName, source, destination);

    /// <summary>Adds a tarball; buildah unpacks it at <paramref name="destination"/> (one layer).</summary>
    public static ToolCommand Add(string containerName, string source, string destination = "/") =>
        new("buildah", "add", containerName, source, destination);

    public static ToolCommand Config(string containerName, IEnumerable<string> options) =>
        new("buildah", ["config", .. options, containerName]);

    /// <summary>
    /// --timestamp 0: created time and every file time fixed, so the same inputs give the same digest
    /// (a wall-clock timestamp would make every rebuild a "new" image and defeat digest pinning).
    /// </summary>
    public static ToolCommand Commit(string containerName, string imageName) =>
        new("buildah", "commit", "--timestamp", "0", "--format", "oci", "--rm", containerName, imageName);

    public static ToolCommand Remove(string containerName) => new("buildah", "rm", containerName);
}
