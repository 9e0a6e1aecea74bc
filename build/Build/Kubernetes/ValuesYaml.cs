using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Kubernetes;

/// <summary>
/// The values file's format: YAML read into JSON nodes keeping each scalar's type (a double-quoted "1.3" stays a
/// string, a plain 3 is a number), and JSON nodes written back as YAML whose strings are always double-quoted — so a
/// version "1.10" never becomes the number 1.1 and a "yes" never becomes true on the way to helm.
/// </summary>
public static class ValuesYaml
{
    public static JsonObject Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0) return [];
        return ToNode(stream.Documents[0].RootNode) as JsonObject
            ?? throw new InvalidDataException("A values file must be a mapping at its top level.");
    }

    /// <summary>Every document of a multi-document stream (helm template's output); empty documents skipped.</summary>
    public static IReadOnlyList<JsonObject> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => ToNode(d.RootNode)).OfType<JsonObject>().ToList();
    }

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToNode(p.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToNode).ToArray()),
        YamlScalarNode { Style: ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted } q => JsonValue.Create(q.Value ?? ""),
        YamlScalarNode p => Plain(p.Value ?? ""),
        _ => throw new InvalidDataException($"Unsupported YAML node {node.NodeType}."),
    };

    private static JsonNode? Plain(string v) => v switch
    {
        "" or "null" or "~" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(v),
    };

    /// <summary>
    /// Deep merge of <paramref name="under"/> beneath <paramref name="target"/>: objects merge key by key, a key
    /// <paramref name="target"/> already has keeps its value (and its place: the engine's block reads first).
    /// </summary>
    public static void MergeUnder(JsonObject target, JsonObject under)
    {
        foreach (var (key, value) in under.ToList())
        {
            if (!target.ContainsKey(key)) target[key] = value?.DeepClone();
            else if (value is JsonObject u && target[key] is JsonObject t) MergeUnder(t, u);
        }
    }

    /// <summary>Block YAML; strings JSON-quoted; null leaves omitted (the chart's own default applies).</summary>
    public static string Write(JsonObject values)
    {
        var sb = new StringBuilder();
        WriteObject(sb, values, 0);
        return sb.ToString();
    }

    private static void WriteObject(StringBuilder sb, JsonObject o, int indent)
    {
        foreach (var (key, value) in o)
        {
            if (value is null) continue;
            sb.Append(' ', indent).Append(key).Append(':');
            WriteValue(sb, value, indent);
        }
    }

    private static void WriteValue(StringBuilder sb, JsonNode value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }: sb.Append(" {}\n"); break;
            case JsonObject child: sb.Append('\n'); WriteObject(sb, child, indent + 2); break;
            case JsonArray { Count: 0 }: sb.Append(" []\n"); break;
            case JsonArray a:
                sb.Append('\n');
                foreach (var item in a)
                {
                    if (item is JsonObject or JsonArray) throw new NotSupportedException("Values lists hold scalars only.");
                    sb.Append(' ', indent + 2).Append("- ").Append(Scalar(item!)).Append('\n');
                }
                break;
            default: sb.Append(' ').Append(Scalar(value)).Append('\n'); break;
        }
    }

    private static string Scalar(JsonNode v) => v.GetValueKind() switch
    {
        JsonValueKind.String => JsonSerializer.Serialize(v.GetValue<string>()),
        _ => v.ToJsonString(),
    };
}
