using System.Globalization;
using System.Text.Json;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>
/// An image's schema contract as the build records it in its labels (app/Containerfile: SCHEMA_MIN/SCHEMA_MAX from
/// the binary's own `schema-contract`), and as the binary prints it. The labels are part of the image config, so
/// the digest pins them as firmly as the binary.
/// </summary>
public static class SchemaContractLabels
{
    public const string Min = "io.orders-release.schema-min";
    public const string Max = "io.orders-release.schema-max";
    public const string Version = "org.opencontainers.image.version";

    /// <summary>
    /// A local image's contract, for both targets: its labels (one `podman image inspect`), or — for an image built
    /// before them — `schema-contract` in a one-off container without network or database. The image must be local.
    /// </summary>
    public static SchemaContract Read(IToolRunner runner, string image) =>
        FromLabels(ParseLabelsJson(runner.Run(Podman.ImageLabels(image)).StandardOutput))
        ?? ParseCommandOutput(runner.Run(Podman.RunOnce(image, "", new Dictionary<string, string>(), "none", "schema-contract")).StandardOutput);

    /// <summary>The contract from an image's labels; null when the image predates them (then the binary is asked).</summary>
    public static SchemaContract? FromLabels(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(Min, out var min) && labels.TryGetValue(Max, out var max)
        && int.TryParse(min, NumberStyles.None, CultureInfo.InvariantCulture, out var lo)
        && int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var hi) && lo <= hi
            ? new SchemaContract(labels.GetValueOrDefault(Version, ""), lo, hi)
            : null;

    /// <summary>`podman image inspect --format '{{json .Labels}}'`: a JSON object, or null for an image without labels.</summary>
    public static IReadOnlyDictionary<string, string> ParseLabelsJson(string json)
    {
        var trimmed = json.Trim();
        if (trimmed.Length == 0 || trimmed == "null") return new Dictionary<string, string>();
        return JsonSerializer.Deserialize<Dictionary<string, string>>(trimmed) ?? [];
    }

    /// <summary>The last JSON line of `Orders.Api schema-contract` ({"version","schemaMin","schemaMax"}).</summary>
    public static SchemaContract ParseCommandOutput(string output)
    {
        var json = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'))
            ?? throw new InvalidOperationException($"schema-contract printed no JSON: '{output.Trim()}'");
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        return new SchemaContract(r.GetProperty("version").GetString()!, r.GetProperty("schemaMin").GetInt32(), r.GetProperty("schemaMax").GetInt32());
    }
}
