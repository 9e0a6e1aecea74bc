using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Image.Scan;

/// <summary>One file (or link) in one layer, as the scanners see it.</summary>
public sealed record LayerEntry(int Layer, string Path, TarEntryType Type, long Length, string? LinkTarget, UnixFileMode Mode, int Uid);

/// <summary>
/// An image exported as an OCI layout directory (skopeo copy … oci:DIR): its config and its layers,
/// read with System.Formats.Tar so every byte of every layer can be searched (not just the final view).
/// </summary>
public sealed class OciImage
{
    private readonly string _dir;

    private OciImage(string dir, JsonObject config, IReadOnlyList<string> layerDigests, string configText)
    {
        _dir = dir;
        Config = config;
        LayerDigests = layerDigests;
        ConfigText = configText;
    }

    public JsonObject Config { get; }
    public string ConfigText { get; }
    public IReadOnlyList<string> LayerDigests { get; }

    public static OciImage Open(string layoutDir)
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layoutDir, "index.json")))!;
        var manifestDigest = (string)index["manifests"]![0]!["digest"]!;
        var manifest = JsonNode.Parse(File.ReadAllText(BlobPath(layoutDir, manifestDigest)))!;
        var configText = File.ReadAllText(BlobPath(layoutDir, (string)manifest["config"]!["digest"]!));
        var layers = manifest["layers"]!.AsArray().Select(l => (string)l!["digest"]!).ToList();
        return new OciImage(layoutDir, JsonNode.Parse(configText)!.AsObject(), layers, configText);
    }

    private static string BlobPath(string dir, string digest)
    {
        var parts = digest.Split(':', 2);
        return Path.Combine(dir, "blobs", parts[0], parts[1]);
    }

    public string? User => (string?)Config["config"]?["User"];
    public IEnumerable<string> Env => Config["config"]?["Env"]?.AsArray().Select(e => (string)e!) ?? [];
    public IReadOnlyDictionary<string, string> Labels =>
        Config["config"]?["Labels"]?.AsObject().ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "") ?? new Dictionary<string, string>();
    public IEnumerable<string> History =>
        Config["history"]?.AsArray().Select(h => $"{(string?)h!["created_by"]} {(string?)h["comment"]}".Trim()) ?? [];

    /// <summary>The config as a person would search it: env, labels, entrypoint, cmd, history — one line each.</summary>
    public IEnumerable<(string Where, string Text)> ConfigFields()
    {
        var c = Config["config"];
        foreach (var e in Env) yield return ("config.Env", e);
        foreach (var (k, v) in Labels) yield return ($"config.Labels[{k}]", v);
        foreach (var key in new[] { "Entrypoint", "Cmd" })
            if (c?[key] is JsonArray arr) yield return ($"config.{key}", string.Join(' ', arr.Select(a => (string?)a)));
        var i = 0;
        foreach (var h in History) yield return ($"history[{i++}]", h);
    }

    /// <summary>Walks every layer; <paramref name="visit"/> gets each entry and, for regular files, its content stream.</summary>
    public void ForEachEntry(Action<LayerEntry, Stream?> visit)
    {
        for (var i = 0; i < LayerDigests.Count; i++)
        {
            using var blob = File.OpenRead(BlobPath(_dir, LayerDigests[i]));
            using var layer = IsGzip(blob) ? new GZipStream(blob, CompressionMode.Decompress) : (Stream)blob;
            using var reader = new TarReader(layer);
            while (reader.GetNextEntry() is { } entry)
            {
                var path = "/" + (entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name).TrimStart('/');
                var e = new LayerEntry(i, path, entry.EntryType, entry.Length, entry.LinkName.Length > 0 ? entry.LinkName : null, entry.Mode, entry.Uid);
                visit(e, entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile ? entry.DataStream : null);
            }
        }
    }

    /// <summary>The paths present in the final filesystem (later layers' whiteouts applied).</summary>
    public Dictionary<string, LayerEntry> FinalPaths()
    {
        var paths = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        ForEachEntry((e, _) =>
        {
            var name = System.IO.Path.GetFileName(e.Path);
            var dir = System.IO.Path.GetDirectoryName(e.Path) ?? "/";
            if (name == ".wh..wh..opq") RemoveWhere(paths, p => p.StartsWith(dir + "/", StringComparison.Ordinal));
            else if (name.StartsWith(".wh.", StringComparison.Ordinal))
            {
                var gone = System.IO.Path.Combine(dir, name[4..]);
                RemoveWhere(paths, p => p == gone || p.StartsWith(gone + "/", StringComparison.Ordinal));
            }
            else paths[e.Path.TrimEnd('/')] = e;
        });
        return paths;
    }

    private static void RemoveWhere(Dictionary<string, LayerEntry> paths, Func<string, bool> gone)
    {
        foreach (var p in paths.Keys.Where(gone).ToList()) paths.Remove(p);
    }

    private static bool IsGzip(FileStream s)
    {
        var b = new byte[2];
        var n = s.Read(b, 0, 2);
        s.Position = 0;
        return n == 2 && b[0] == 0x1f && b[1] == 0x8b;
    }

    public static string Pretty(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
