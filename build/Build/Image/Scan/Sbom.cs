using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Image.Scan;

public sealed record SbomComponent(string Type, string Name, string Version, string Purl, string Source);

/// <summary>
/// A CycloneDX 1.5 JSON SBOM of what the image actually contains, read from its layers (not from the build
/// inputs): Debian packages from var/lib/dpkg/status.d/* (or status) and NuGet packages from the app's
/// *.deps.json. No timestamp or serial number, so the same image gives the same SBOM.
/// </summary>
public static class Sbom
{
    public static IReadOnlyList<SbomComponent> Collect(OciImage image)
    {
        var components = new Dictionary<string, SbomComponent>(StringComparer.Ordinal);
        image.ForEachEntry((e, content) =>
        {
            if (content is null) return;
            if (e.Path.StartsWith("/var/lib/dpkg/status.d/", StringComparison.Ordinal) || e.Path == "/var/lib/dpkg/status")
                foreach (var c in ParseDpkgStatus(new StreamReader(content).ReadToEnd(), e.Path)) components[c.Purl] = c;
            else if (e.Path.EndsWith(".deps.json", StringComparison.Ordinal))
                foreach (var c in ParseDepsJson(new StreamReader(content).ReadToEnd(), e.Path)) components[c.Purl] = c;
        });
        return components.Values.OrderBy(c => c.Purl, StringComparer.Ordinal).ToList();
    }

    public static IEnumerable<SbomComponent> ParseDpkgStatus(string text, string source)
    {
        foreach (var stanza in text.Replace("\r", "").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = stanza.Split('\n').Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0]) && l.Contains(':'))
                .Select(l => l.Split(':', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1].Trim());
            if (!fields.TryGetValue("Package", out var name) || !fields.TryGetValue("Version", out var version)) continue;
            var arch = fields.GetValueOrDefault("Architecture", "amd64");
            yield return new SbomComponent("library", name, version,
                $"pkg:deb/debian/{name}@{Uri.EscapeDataString(version)}?arch={arch}&distro=debian-12", source);
        }
    }

    public static IEnumerable<SbomComponent> ParseDepsJson(string json, string source)
    {
        var libraries = JsonNode.Parse(json)?["libraries"]?.AsObject();
        if (libraries is null) yield break;
        foreach (var (key, value) in libraries)
        {
            var type = (string?)value?["type"];
            if (type is not ("package" or "runtimepack")) continue; // "project" is the app itself
            var slash = key.LastIndexOf('/');
            var name = key[..slash];
            if (type == "runtimepack" && name.StartsWith("runtimepack.", StringComparison.Ordinal)) name = name["runtimepack.".Length..];
            var version = key[(slash + 1)..];
            yield return new SbomComponent("library", name, version, $"pkg:nuget/{name}@{version}", source);
        }
    }

    public static string ToCycloneDx(IReadOnlyList<SbomComponent> components, string imageName, string imageVersion, string? digest)
    {
        var doc = new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.5",
            ["version"] = 1,
            ["metadata"] = new JsonObject
            {
                ["component"] = new JsonObject
                {
                    ["type"] = "container",
                    ["name"] = imageName,
                    ["version"] = imageVersion,
                    ["bom-ref"] = digest ?? imageName,
                },
                ["tools"] = new JsonObject { ["components"] = new JsonArray(new JsonObject { ["type"] = "application", ["name"] = "orders-release ImageScan" }) },
            },
            ["components"] = new JsonArray(components.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = c.Type,
                ["name"] = c.Name,
                ["version"] = c.Version,
                ["purl"] = c.Purl,
                ["bom-ref"] = c.Purl,
                ["properties"] = new JsonArray(new JsonObject { ["name"] = "orders:source", ["value"] = c.Source }),
            }).ToArray()),
        };
        // Relaxed escaping: purls keep their literal "+" and "&" (what people grep for).
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
