using Pipeline.Config;
using Pipeline.Gates.Canary;

namespace Pipeline.SingleHost;

/// <summary>
/// HAProxy's per-server errors, charged to the track whose servers produced them: a canary that crashes, hangs or
/// refuses connections shows nothing wrong in its own /metrics (it is not answering), only in HAProxy's exporter.
/// A slot belongs to a track by the app's scrape target labels (slot, track), joined in PromQL at every evaluation
/// step — so the selection follows the slots the router gives to each track as instances come and go.
/// </summary>
public static class HaproxyErrorSelectors
{
    public static CanaryScope Scope(string env) => CanaryScope.Any with
    {
        ProxyErrors = new ProxyErrorsConfig { Stable = For(env, CanaryQueries.Stable), Canary = For(env, CanaryQueries.Canary) },
    };

    public static ProxyTrackSelectors For(string env, string track) => new()
    {
        // HAProxy counts the app's own 5xx too: the gate takes the larger of the two counts (TrackCounts.Errors).
        Responses5xx = Join($"haproxy_server_http_responses_total{{env=\"{env}\",proxy=\"{SingleHostLayout.Backend}\",code=\"5xx\"}}", env, track),
        Failures = Join($"haproxy_server_connection_errors_total{{env=\"{env}\",proxy=\"{SingleHostLayout.Backend}\"}}", env, track),
    };

    // 0 * up + 1: a 1 for every server whose app instance is scraped with this track right now.
    private static string Join(string counter, string env, string track) =>
        $"{counter} * on (server) group_left () (0 * max by (server) (label_replace(up{{env=\"{env}\",track=\"{track}\"}}, \"server\", \"$1\", \"slot\", \"(.+)\")) + 1)";
}
