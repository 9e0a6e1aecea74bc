using Pipeline.Config;

namespace Pipeline.Tests.Config;

public class ImageReferenceTests
{
    private static readonly string D = "sha256:" + new string('c', 64);

    [Theory]
    [InlineData("localhost:5000/orders-api@", "localhost:5000", "orders-api")]
    [InlineData("registry.example.com/team/orders-api@", "registry.example.com", "team/orders-api")]
    [InlineData("team/orders-api@", null, "team/orders-api")]
    [InlineData("orders-api@", null, "orders-api")]
    public void A_digest_reference_splits_into_registry_repository_and_digest(string prefix, string? registry, string repository) =>
        Assert.Equal((registry, repository, D), ImageReference.Split(prefix + D));

    [Theory]
    [InlineData("localhost:5000/orders-api:latest")]
    [InlineData("localhost:5000/orders-api")]
    [InlineData("localhost:5000/orders-api@sha256:abc")]
    public void A_reference_without_a_full_digest_is_refused_naming_its_source(string reference)
    {
        var e = Assert.Throws<NotADigestException>(() => ImageReference.RequireDigest(reference, "SINGLEHOST_IT_IMAGES"));
        Assert.StartsWith($"SINGLEHOST_IT_IMAGES: '{reference}' is not a digest reference", e.Message);
    }
}
