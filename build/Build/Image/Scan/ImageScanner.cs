using Cake.Core.Diagnostics;
using Pipeline.Records;
using Pipeline.Tools;

namespace Pipeline.Image.Scan;

/// <summary>A gate that failed: the release stops here.</summary>
public sealed class ImageScanFailedException(string message) : Exception(message);

/// <summary>
/// The image gate: secrets, hardening, SBOM and CVE policy. Fails closed: every check runs and records
/// its verdict and evidence (artifacts/scan/), then any Fail stops the run; an error in a check is a Fail.
/// </summary>
public static class ImageScanner
{
    public static string EvidenceDir(BuildPaths p) => Path.Combine(p.Artifacts, "scan");
    public static string SbomFile(BuildPaths p) => Path.Combine(EvidenceDir(p), "sbom.cdx.json");

    public static IReadOnlyList<GateVerdict> Scan(BuildContext context, BuiltImage image)
    {
        var evidence = EvidenceDir(context.Paths);
        var layout = Path.Combine(context.Paths.Artifacts, "image", $"oci-r{image.AppRelease}");
        if (!context.DryRun)
        {
            if (Directory.Exists(evidence)) Directory.Delete(evidence, recursive: true);
            if (Directory.Exists(layout)) Directory.Delete(layout, recursive: true);
            Directory.CreateDirectory(evidence);
        }
        context.Runner.Run(Skopeo.Copy("containers-storage:" + image.LocalTag, $"oci:{layout}:scan"));
        if (context.DryRun)
        {
            var skipped = new[] { AssessSecrets.Gate, AssessHardening.Gate, "image.sbom", AssessVulnerabilities.Gate }
                .Select(g => new GateVerdict(g, Verdict.Skipped, "dry run: nothing was scanned")).ToList();
            context.Record.Verdicts.AddRange(skipped);
            return skipped;
        }

        var oci = OciImage.Open(layout);
        var verdicts = new List<GateVerdict>
        {
            Guarded(AssessSecrets.Gate, () =>
            {
                var secrets = SecretSources.Read(context.Paths);
                if (secrets.Any(s => s.Value.Length < SecretPatterns.MinSecretLength))
                    context.Log.Warning("Some environment secrets are shorter than {0} characters and are not searched for by value.", SecretPatterns.MinSecretLength);
                return AssessSecrets.Assess(oci, new SecretPatterns(secrets.Select(s => s.Value)), evidence).Verdict;
            }),
            Guarded(AssessHardening.Gate, () => AssessHardening.Assess(
                AssessHardening.InspectStatic(oci),
                AssessHardening.ProbeReadOnlyRun(context, image.LocalTag, Path.Combine(context.Paths.Artifacts, "image", "probe")),
                evidence)),
            Guarded("image.sbom", () => WriteSbom(context, oci, image)),
            Guarded(AssessVulnerabilities.Gate, () => ScanVulnerabilities(context, image, evidence)),
        };
        context.Record.Verdicts.AddRange(verdicts);
        foreach (var v in verdicts)
        {
            if (v.Verdict == Verdict.Fail) context.Log.Error("{0}: FAIL — {1}", v.Gate, v.Summary);
            else if (v.Verdict == Verdict.Warn) context.Log.Warning("{0}: WARN — {1}", v.Gate, v.Summary);
            else context.Log.Information("{0}: {1} — {2}", v.Gate, v.Verdict, v.Summary);
        }
        return verdicts;
    }

    /// <summary>Throws when any verdict failed (after all were recorded).</summary>
    public static void Enforce(IReadOnlyList<GateVerdict> verdicts, BuildPaths paths)
    {
        var failed = verdicts.Where(v => v.Verdict == Verdict.Fail).ToList();
        if (failed.Count > 0)
            throw new ImageScanFailedException($"Image scan failed ({string.Join(", ", failed.Select(f => f.Gate))}); evidence in {EvidenceDir(paths)}:\n"
                + string.Join('\n', failed.Select(f => $"  {f.Gate}: {f.Summary}")));
    }

    private static GateVerdict Guarded(string gate, Func<GateVerdict> check)
    {
        try { return check(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new GateVerdict(gate, Verdict.Fail, $"the check itself failed ({e.GetType().Name}: {e.Message}); failing closed");
        }
    }

    private static GateVerdict WriteSbom(BuildContext context, OciImage oci, BuiltImage image)
    {
        var components = Sbom.Collect(oci);
        File.WriteAllText(SbomFile(context.Paths), Sbom.ToCycloneDx(components, "orders-api", image.Version, image.LocalDigest) + "\n");
        context.Record.Facts["image.sbom"] = SbomFile(context.Paths);
        var debs = components.Count(c => c.Purl.StartsWith("pkg:deb/", StringComparison.Ordinal));
        var nugets = components.Count(c => c.Purl.StartsWith("pkg:nuget/", StringComparison.Ordinal));
        var figures = new Dictionary<string, double> { ["debianPackages"] = debs, ["nugetPackages"] = nugets };
        // An SBOM without OS packages is the same blind spot as Trivy's silent pass: nothing to match CVEs against.
        return debs == 0 || nugets == 0
            ? new GateVerdict("image.sbom", Verdict.Fail, $"SBOM incomplete: {debs} Debian and {nugets} NuGet packages found in the image", figures)
            : new GateVerdict("image.sbom", Verdict.Pass, $"CycloneDX 1.5: {debs} Debian + {nugets} NuGet packages → {Path.GetFileName(SbomFile(context.Paths))}", figures);
    }

    private static GateVerdict ScanVulnerabilities(BuildContext context, BuiltImage image, string evidence)
    {
        var policy = context.Config.Gates.Scan;
        if (context.Runner.Find("trivy") is null)
            return AssessVulnerabilities.ScannerMissing(policy.CveScanner);
        var archive = Path.Combine(context.Paths.Artifacts, "image", $"image-r{image.AppRelease}.oci.tar");
        File.Delete(archive);
        context.Runner.Run(Skopeo.Copy("containers-storage:" + image.LocalTag, $"oci-archive:{archive}:scan"));
        var report = Path.Combine(evidence, "trivy.json");
        var r = context.Runner.Run(TrivyCommands.ScanArchive(archive, report, policy.FailOnSeverities), allowFailure: true);
        if (r.ExitCode is not (0 or 1) || !File.Exists(report))
            return new GateVerdict(AssessVulnerabilities.Gate, Verdict.Fail, $"trivy failed (exit {r.ExitCode}): {r.StandardError.Split('\n').LastOrDefault()}");
        return AssessVulnerabilities.AssessReport(File.ReadAllText(report), r.ExitCode, policy.FailOnSeverities);
    }
}
