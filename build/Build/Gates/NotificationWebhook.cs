using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Records;

namespace Pipeline.Gates;

/// <summary>
/// Tells people how a release ended: one JSON POST to notifications.webhookUrl after Release, Promote or Rollback.
/// A notification that cannot be delivered is a warning: the release already happened, and failing it now
/// would make the record lie about what runs.
/// </summary>
public static class NotificationWebhook
{
    public static readonly IReadOnlySet<string> NotifyingTargets = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Release", "Promote", "Rollback" };

    public sealed record Payload(
        string Environment, string Target, string Outcome, string? Error, string Actor, string Revision,
        string? ImageDigest, string? AppVersion, string? Approval, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
        IReadOnlyList<GateVerdict> Verdicts, string Text);

    public static Payload For(RunRecord r) => new(
        r.Environment, r.Target, r.Outcome, r.Error, r.Actor, r.Revision,
        r.Facts.GetValueOrDefault(FactKeys.ImageDigest), r.Facts.GetValueOrDefault(FactKeys.AppVersion),
        r.Facts.GetValueOrDefault(FactKeys.Approval), r.StartedAt, r.FinishedAt, r.Verdicts,
        // One human line for chat tools that show only a "text" field.
        $"{r.Target} of {r.Facts.GetValueOrDefault(FactKeys.AppVersion) ?? r.Facts.GetValueOrDefault(FactKeys.ImageDigest) ?? r.Revision} to {r.Environment} by {r.Actor}: {r.Outcome.ToUpperInvariant()}"
        + (r.Error is null ? "" : $" ({r.Error})"));

    /// <summary>Posts the payload; returns null when delivered, otherwise why not (for a warning).</summary>
    public static async Task<string?> SendAsync(string url, Payload payload, TimeSpan timeout)
    {
        try
        {
            using var http = new HttpClient { Timeout = timeout };
            using var response = await http.PostAsJsonAsync(url, payload, RunRecord.Json);
            return response.IsSuccessStatusCode ? null : $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"{url}: {e.Message}";
        }
    }
}
