namespace Pipeline.Config;

/// <summary>
/// The one rule for every image reference that enters the pipeline (--image, image.deploy, the audit trail's
/// rollback targets, test helpers): name@sha256:&lt;64 hex&gt;. A tag can be moved under a running release, so what
/// release.json, the audit trail and the containers hold would no longer say what runs.
/// </summary>
public static class ImageReference
{
    /// <summary>Returns <paramref name="reference"/> if it is pinned by digest; otherwise throws naming where it came from.</summary>
    public static string RequireDigest(string reference, string source) =>
        ConfigValidator.IsDigestReference(reference) ? reference : throw new NotADigestException(reference, source);

    /// <summary>The digest reference's parts: registry host[:port] (or null), repository path, sha256:… digest.</summary>
    public static (string? Registry, string Repository, string Digest) Split(string reference)
    {
        RequireDigest(reference, "image reference");
        var at = reference.IndexOf('@');
        var name = reference[..at];
        var slash = name.IndexOf('/');
        var first = slash < 0 ? null : name[..slash];
        // Like docker: the first path component is a registry only if it has a '.' or ':' or is localhost.
        var hasRegistry = first is not null && (first.Contains('.') || first.Contains(':') || first == "localhost");
        return (hasRegistry ? first : null, hasRegistry ? name[(slash + 1)..] : name, reference[(at + 1)..]);
    }
}

/// <summary>An image reference that is not pinned by digest: bad input, refused before anything runs.</summary>
public sealed class NotADigestException(string reference, string source)
    : ArgumentException($"{source}: '{reference}' is not a digest reference (name@sha256:<64 hex>); images are deployed only by digest, a tag can be moved under a running release")
{
    public string Reference { get; } = reference;
}
