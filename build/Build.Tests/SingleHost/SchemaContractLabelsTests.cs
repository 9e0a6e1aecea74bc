using Pipeline.SingleHost;

namespace Pipeline.Tests.SingleHost;

public sealed class SchemaContractLabelsTests
{
    private static Dictionary<string, string> Labels(string? min, string? max)
    {
        var d = new Dictionary<string, string> { [SchemaContractLabels.Version] = "1.3.0" };
        if (min is not null) d[SchemaContractLabels.Min] = min;
        if (max is not null) d[SchemaContractLabels.Max] = max;
        return d;
    }

    [Fact]
    public void An_image_built_with_the_labels_carries_its_contract() =>
        Assert.Equal(new SchemaContract("1.3.0", 3, 4), SchemaContractLabels.FromLabels(Labels("3", "4")));

    // An image built before the labels (or with a build arg left empty) must fall back to asking the binary,
    // never be read as schema 0..0, which would refuse or, worse, skip a migration.
    [Theory]
    [InlineData(null, "4")]
    [InlineData("3", null)]
    [InlineData("", "")]
    [InlineData("three", "4")]
    [InlineData("-1", "4")]
    [InlineData("5", "4")]
    public void Missing_or_malformed_labels_give_no_contract(string? min, string? max) =>
        Assert.Null(SchemaContractLabels.FromLabels(Labels(min, max)));

    [Fact]
    public void Podman_labels_json_is_read_and_an_image_without_labels_is_empty()
    {
        Assert.Equal("3", SchemaContractLabels.ParseLabelsJson("""{"io.orders-release.schema-min":"3","org.opencontainers.image.version":"1.3.0"}""" + "\n")[SchemaContractLabels.Min]);
        Assert.Empty(SchemaContractLabels.ParseLabelsJson("null\n"));
        Assert.Empty(SchemaContractLabels.ParseLabelsJson(""));
    }

    [Fact]
    public void The_binarys_output_is_read_from_its_last_json_line()
    {
        Assert.Equal(new SchemaContract("1.1.0", 2, 3), SchemaContractLabels.ParseCommandOutput("info: starting\n{\"version\":\"1.1.0\",\"schemaMin\":2,\"schemaMax\":3}\n"));
        Assert.Throws<InvalidOperationException>(() => SchemaContractLabels.ParseCommandOutput("Unhandled exception\n"));
    }
}
