using Pipeline.Tests.Support;
using System.Text.Json;
using Pipeline.Gates;
using Pipeline.Records;
using Pipeline.Tests.Host;

namespace Pipeline.Tests.Gates;

public class NotificationWebhookTests
{
    private static RunRecord Record()
    {
        var r = new RunRecord { Target = "Release", Environment = "staging", Actor = "ci", Revision = "abc123" };
        r.Outcome = "succeeded";
        r.Facts[FactKeys.AppVersion] = "1.2.0";
        r.Facts[FactKeys.ImageDigest] = "sha256:" + new string('c', 64);
        r.Verdicts.Add(new GateVerdict("canary", Verdict.Pass, "error rate +0.1 pt"));
        return r;
    }

    [Fact]
    public async Task Posts_the_outcome_as_json_to_a_real_listener()
    {
        using var listener = WebhookListener.Start();
        Assert.Null(await NotificationWebhook.SendAsync(listener.Url, NotificationWebhook.For(Record()), TimeSpan.FromSeconds(5)));
        using var json = JsonDocument.Parse(listener.WaitForBody(TimeSpan.FromSeconds(5)));
        var root = json.RootElement;
        Assert.Equal("Release of 1.2.0 to staging by ci: SUCCEEDED", root.GetProperty("text").GetString());
        Assert.Equal("succeeded", root.GetProperty("outcome").GetString());
        Assert.Equal("pass", root.GetProperty("verdicts")[0].GetProperty("verdict").GetString());
        Assert.Equal("sha256:" + new string('c', 64), root.GetProperty("imageDigest").GetString());
    }

    private static readonly TimeSpan ShortDelay = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Unreachable_webhook_is_reported_not_thrown_after_the_retries()
    {
        var problem = await NotificationWebhook.SendAsync($"http://127.0.0.1:{FreePorts.One()}/x", NotificationWebhook.For(Record()), TimeSpan.FromSeconds(5), ShortDelay);
        Assert.NotNull(problem);
        Assert.Contains("127.0.0.1", problem);
        Assert.EndsWith("(after 3 attempts)", problem);
    }

    [Fact]
    public async Task A_receiver_that_answers_503_then_429_gets_the_message_on_the_third_attempt()
    {
        using var listener = WebhookListener.Start(503, 429);
        Assert.Null(await NotificationWebhook.SendAsync(listener.Url, NotificationWebhook.For(Record()), TimeSpan.FromSeconds(5), ShortDelay));
        Assert.Contains("SUCCEEDED", listener.WaitForBody(TimeSpan.FromSeconds(5)));
        Assert.Equal(3, listener.Requests);
    }

    [Fact]
    public async Task A_4xx_is_not_retried()
    {
        using var listener = WebhookListener.Start(404);
        var problem = await NotificationWebhook.SendAsync(listener.Url, NotificationWebhook.For(Record()), TimeSpan.FromSeconds(5), ShortDelay);
        Assert.Equal($"{listener.Url} answered 404 Not Found", problem);
        Assert.Equal(1, listener.Requests);
    }

    [Fact]
    public async Task Three_5xx_answers_are_reported_with_the_last_status()
    {
        using var listener = WebhookListener.Start(500, 502, 503, 204);
        var problem = await NotificationWebhook.SendAsync(listener.Url, NotificationWebhook.For(Record()), TimeSpan.FromSeconds(5), ShortDelay);
        Assert.Equal($"{listener.Url} answered 503 Service Unavailable (after 3 attempts)", problem);
        Assert.Equal(3, listener.Requests);
    }

    [Fact]
    public void Only_release_promote_and_rollback_notify()
    {
        Assert.True(NotificationWebhook.NotifyingTargets.SetEquals(["Release", "Promote", "Rollback"]));
    }
}
