using Pipeline.Config;
using Pipeline.Records;
using Pipeline.SingleHost;

namespace Pipeline;

public sealed partial class BuildContext
{
    private SingleHostSession? _singleHost;

    /// <summary>The single-host target's session for this run (state dir, runner, record, log).</summary>
    public SingleHostSession SingleHost => _singleHost ??= new SingleHostSession(Config, Paths.StateDir, Runner, Record, Log, Actor)
    {
        CandidateEnvironment = ParseEnv(Argument(SingleHostArgs.CandidateEnv)),
        VerdictDir = Path.Combine(Paths.Artifacts, "gates"),
    };

    public bool IsSingleHost => Config.Target == TargetKind.SingleHost;

    /// <summary>
    /// The image a deploy ships: --image (explicit), else what Push recorded in this run (Facts), else the
    /// configuration's pin. Up prefers the last successful release instead (see <see cref="ImageForUp"/>).
    /// </summary>
    public string? ImageToDeploy() =>
        Argument(SingleHostArgs.Image)
        ?? (Record.Facts.GetValueOrDefault(SingleHostArgs.ImageDigestFact) is { } d && ConfigValidator.IsDigestReference(d) ? d : null)
        ?? Config.Image.Deploy;

    /// <summary>Up: the last successful release in the audit trail, else image.deploy, else what this run pushed.</summary>
    public string? ImageForUp() =>
        Argument(SingleHostArgs.Image)
        ?? AuditTrail.For(this).CurrentRelease()?.ImageDigest
        ?? Config.Image.Deploy
        ?? ImageToDeploy();

    private static Dictionary<string, string> ParseEnv(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].StartsWith("ORDERS_FAULT_", StringComparison.Ordinal))
            .ToDictionary(p => p[0], p => p[1]);
}

public static class SingleHostArgs
{
    /// <summary>--image=repo@sha256:… : deploy (or bring up) exactly this image.</summary>
    public const string Image = "image";
    /// <summary>--candidate-env=ORDERS_FAULT_ERROR_RATE=0.3 : fault injection into the new version only (benchmarks, demos).</summary>
    public const string CandidateEnv = "candidate-env";
    /// <summary>Fact the image task (Push) publishes with the full pushed reference (registry/repo@sha256:…).</summary>
    public const string ImageDigestFact = "image.digest";
}
