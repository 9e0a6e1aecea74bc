namespace Pipeline.Image;

/// <summary>An app image in local storage, and (after Push) its identity in the registry.</summary>
public sealed record BuiltImage(
    int AppRelease,
    string Version,
    string Revision,
    string LocalTag,
    string LocalDigest,
    string BaseImage,
    string PublishDir)
{
    /// <summary>registry/repository@sha256:… — the only form anything is deployed by.</summary>
    public string? DigestReference { get; init; }
}
