using System.Text.Json;
using Pipeline.Records;

namespace Pipeline.SingleHost;

/// <summary>An image the environment runs: the reference podman runs and the app version it reports.</summary>
public sealed record ReleaseImage(string Image, string Version);

/// <summary>
/// What the environment is meant to run right now (release.json in the state dir): the stable release and,
/// during a release, the candidate and how far it got. Containers are labelled with their image, so the
/// track of an instance (stable/canary) is derived from this file, not baked into an immutable label.
/// </summary>
/// StepStartedAt: when the current canary weight was applied (a gate run in another process judges only after it).
public sealed record ReleaseState(ReleaseImage? Stable, ReleaseImage? Candidate = null, string? Strategy = null, int CanaryPercent = 0, DateTimeOffset? StepStartedAt = null)
{
    public static ReleaseState Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<ReleaseState>(File.ReadAllText(path), RunRecord.Json)! : Empty;

    public static readonly ReleaseState Empty = new((ReleaseImage?)null);

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, RunRecord.Json));
        File.Move(tmp, path, overwrite: true);
    }

    public string TrackOf(string image) => Candidate is not null && image == Candidate.Image ? "canary" : "stable";
}
