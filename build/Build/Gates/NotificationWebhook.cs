using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Records;
using Polly;
using Polly.Retry;
using Polly.Timeout;

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

    /// <summary>
    /// Posts the payload; returns null when delivered, otherwise why not (for a warning). A receiver that is
    /// restarting, overloaded or rate-limiting (connection refused, timeout, 5xx, 408, 429) gets two more tries,
    /// 1 s then 2 s later (jittered): a chat relay's deploy or a short outage must not lose the one message that says
    /// a release failed. A 4xx is final (a wrong URL or a refused payload does not heal by itself). Delivery is at
    /// least once: a POST that arrived but whose answer was lost is sent again.
    /// </summary>
    /// <param name="timeout">Per attempt.</param>
    /// <param name="firstRetryDelay">Tests shorten it; the retries double it.</param>
    public static async Task<string?> SendAsync(string url, Payload payload, TimeSpan timeout, TimeSpan? firstRetryDelay = null)
    {
        var attempts = 0;
        try
        {
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // Polly's per-attempt timeout cancels instead
            using var response = await Delivery(timeout, firstRetryDelay ?? TimeSpan.FromSeconds(1)).ExecuteAsync(async ct =>
            {
                attempts++;
                return await http.PostAsJsonAsync(url, payload, RunRecord.Json, ct);
            });
            return response.IsSuccessStatusCode ? null : $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}{AfterAttempts(attempts)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutRejectedException or JsonException)
        {
            return $"{url}: {e.Message}{AfterAttempts(attempts)}";
        }
    }

    private static string AfterAttempts(int attempts) => attempts > 1 ? $" (after {attempts} attempts)" : "";

    /// <summary>The retry policy: up to 2 retries of transient failures, exponential backoff with jitter, a timeout per attempt.</summary>
    private static ResiliencePipeline<HttpResponseMessage> Delivery(TimeSpan attemptTimeout, TimeSpan firstRetryDelay) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests),
                MaxRetryAttempts = 2,
                Delay = firstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddTimeout(attemptTimeout)
            .Build();
}
