using System.Text;
using System.Text.Json;
using Pipeline.Records;

namespace Pipeline.Image.Scan;

/// <summary>
/// Searches the image's config (env, labels, entrypoint, cmd), its history and every file in every layer
/// (also files a later layer deletes: they are still downloadable) for secret patterns and the environment's
/// real secret values. Any finding that is not allowlisted fails.
/// </summary>
public static class AssessSecrets
{
    public const string Gate = "image.secrets";

    public sealed record Result(GateVerdict Verdict, IReadOnlyList<SecretFinding> Findings, IReadOnlyList<SecretFinding> Allowed, int Files, long Bytes);

    public static Result Assess(OciImage image, SecretPatterns patterns, string evidenceDir)
    {
        Directory.CreateDirectory(evidenceDir);
        var findings = new List<SecretFinding>();
        foreach (var (where, text) in image.ConfigFields()) findings.AddRange(patterns.Match(where, text));

        var files = 0;
        long bytes = 0;
        var listing = new StringBuilder();
        image.ForEachEntry((entry, content) =>
        {
            listing.Append($"{entry.Layer}\t{entry.Type}\t{entry.Length}\t{entry.Path}{(entry.LinkTarget is null ? "" : " -> " + entry.LinkTarget)}\n");
            if (content is null) return;
            using var ms = new MemoryStream((int)Math.Min(entry.Length, int.MaxValue));
            content.CopyTo(ms);
            files++;
            bytes += ms.Length;
            findings.AddRange(patterns.Match($"layer{entry.Layer}:{entry.Path}", ms.GetBuffer().AsSpan(0, (int)ms.Length).ToArray()));
        });

        var allowed = findings.Where(f => SecretAllowlist.Find(f) is not null).ToList();
        var failing = findings.Except(allowed).ToList();
        File.WriteAllText(Path.Combine(evidenceDir, "files.tsv"), "layer\ttype\tbytes\tpath\n" + listing);
        File.WriteAllText(Path.Combine(evidenceDir, "history.txt"), string.Join('\n', image.History) + "\n");
        File.WriteAllText(Path.Combine(evidenceDir, "config.json"), OciImage.Pretty(image.Config) + "\n");
        File.WriteAllText(Path.Combine(evidenceDir, "secrets.json"), JsonSerializer.Serialize(new
        {
            verdict = failing.Count == 0 ? "pass" : "fail",
            scannedFiles = files,
            scannedBytes = bytes,
            layers = image.LayerDigests,
            patterns = SecretPatterns.Default.Select(p => new { p.Name, regex = p.Regex.ToString() }),
            environmentSecretValues = patterns.SecretValueCount,
            findings = failing,
            allowlisted = allowed.Select(f => new { finding = f, why = SecretAllowlist.Find(f)!.Why }),
        }, RunRecord.Json) + "\n");

        var figures = new Dictionary<string, double> { ["files"] = files, ["bytes"] = bytes, ["findings"] = failing.Count, ["allowlisted"] = allowed.Count };
        var verdict = failing.Count == 0
            ? new GateVerdict(Gate, Verdict.Pass, $"no secrets in config, history or {files} files ({bytes / 1e6:F1} MB) across {image.LayerDigests.Count} layers", figures)
            : new GateVerdict(Gate, Verdict.Fail, $"{failing.Count} secret finding(s): " + string.Join("; ", failing.Take(5).Select(f => $"{f.Pattern} in {f.Where}")), figures);
        return new Result(verdict, failing, allowed, files, bytes);
    }
}
