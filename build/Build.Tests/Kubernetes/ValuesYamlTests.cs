using System.Text.Json.Nodes;
using Pipeline.Kubernetes;

namespace Pipeline.Tests.Kubernetes;

public class ValuesYamlTests
{
    [Fact]
    public void Quoted_scalars_stay_strings_and_plain_ones_keep_their_type()
    {
        var v = ValuesYaml.Parse("a:\n  version: \"1.10\"\n  n: 3\n  on: true\n  x: null\n  s: plain\n");
        var a = v["a"]!;
        Assert.Equal("1.10", a["version"]!.GetValue<string>());
        Assert.Equal(3L, a["n"]!.GetValue<long>());
        Assert.True(a["on"]!.GetValue<bool>());
        Assert.Null(a["x"]);
        Assert.Equal("plain", a["s"]!.GetValue<string>());
    }

    [Fact]
    public void Written_yaml_quotes_every_string_omits_nulls_and_reads_back_the_same()
    {
        var o = new JsonObject
        {
            ["version"] = "1.10", ["yes"] = "yes", ["n"] = 2, ["gone"] = null,
            ["list"] = new JsonArray("a: b", "c"), ["empty"] = new JsonObject(), ["none"] = new JsonArray(),
        };
        var yaml = ValuesYaml.Write(o);
        Assert.Equal("version: \"1.10\"\nyes: \"yes\"\nn: 2\nlist:\n  - \"a: b\"\n  - \"c\"\nempty: {}\nnone: []\n", yaml);
        o.Remove("gone");
        Assert.True(JsonNode.DeepEquals(o, ValuesYaml.Parse(yaml)));
    }

    [Fact]
    public void Merge_under_keeps_the_targets_values_and_order_and_adds_the_rest()
    {
        var target = ValuesYaml.Parse("route:\n  canaryWeight: 10\nstable:\n  replicas: 2\n");
        ValuesYaml.MergeUnder(target, ValuesYaml.Parse("route:\n  canaryWeight: 0\n  gateway:\n    name: \"g\"\nstable:\n  replicas: 9\nenv: \"dev\"\n"));
        Assert.Equal("route:\n  canaryWeight: 10\n  gateway:\n    name: \"g\"\nstable:\n  replicas: 2\nenv: \"dev\"\n", ValuesYaml.Write(target));
    }
}
