using Pipeline.Config;

namespace Pipeline.Tests.Image;

/// <summary>A mutable tag can point at a different image tomorrow: configuration naming one never gets as far as a deploy.</summary>
public class TagReferenceRejectionTests
{
    private static string Yaml(string imageLines) => $"""
        name: t
        target: single-host
        image:
          registry: localhost:5000
          repository: orders-api
        {imageLines}
        """;

    [Theory]
    [InlineData("  deploy: localhost:5000/orders-api:latest", "image.deploy")]
    [InlineData("  deploy: localhost:5000/orders-api:1.3.0@sha256:0000000000000000000000000000000000000000000000000000000000000000", "image.deploy")]
    [InlineData("  base: mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled", "image.base")]
    public void A_tag_is_rejected_when_the_configuration_loads(string line, string key)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Yaml(line), "t.yaml", "t"));
        Assert.Contains(key, e.Message);
        Assert.Contains("t.yaml", e.Message);
    }

    [Fact]
    public void A_digest_reference_is_accepted()
    {
        var c = ConfigLoader.Parse(Yaml("  deploy: localhost:5000/orders-api@sha256:" + new string('a', 64)), "t.yaml", "t");
        Assert.StartsWith("localhost:5000/orders-api@sha256:", c.Image.Deploy);
    }
}
