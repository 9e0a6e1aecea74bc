using Pipeline.Kubernetes;
using Pipeline.Tests.Kubernetes.Support;

namespace Pipeline.Tests.Kubernetes;

/// <summary>kubectl get -o json, parsed (fixtures hand-written in the API's shape: Fixtures/README.md).</summary>
public sealed class KubeJsonTests
{
    private const string D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public void A_ready_pod_and_a_terminating_one_are_told_apart_with_track_version_and_the_digest_that_runs()
    {
        var pods = KubeJson.ParsePods(ClusterScript.Fixture("pods-canary-ready.json"));
        Assert.Equal(2, pods.Count);
        var ready = pods[0];
        Assert.Equal(("orders-canary-7d9c5b6f4-abcde", "canary", "1.2.0", "orders", true, "Running", false), (ready.Name, ready.Track, ready.Version, ready.Container, ready.Ready, ready.Phase, ready.Terminating));
        Assert.Equal(D2, ready.ImageDigest);
        Assert.EndsWith("@" + D2, ready.SpecImage);
        Assert.True(pods[1].Terminating);
        Assert.False(pods[1].Ready);
        Assert.Equal("", pods[1].ImageDigest); // no containerStatuses yet
    }

    [Fact]
    public void Waiting_reasons_and_restarts_are_read()
    {
        var pull = KubeJson.ParsePods(ClusterScript.Fixture("pods-canary-imagepull.json")).Single();
        Assert.Equal(("ImagePullBackOff", "Pending", 0), (pull.WaitingReason, pull.Phase, pull.Restarts));
        Assert.True(PodReadiness.Hopeless(pull));
        var crash = KubeJson.ParsePods(ClusterScript.Fixture("pods-canary-crashloop.json")).Single();
        Assert.Equal(("CrashLoopBackOff", 4), (crash.WaitingReason, crash.Restarts));
        Assert.True(PodReadiness.Hopeless(crash));
        Assert.False(PodReadiness.Hopeless(crash with { Restarts = 1 })); // the first crashes may be a slow dependency
    }

    [Fact]
    public void Events_come_oldest_first_with_their_counts()
    {
        var events = KubeJson.ParseEvents(ClusterScript.Fixture("events-crashloop.json"));
        Assert.Equal(["Scheduled", "Unhealthy", "BackOff"], events.Select(e => e.Reason));
        Assert.Equal("Warning BackOff (×6): Back-off restarting failed container orders in pod orders-canary-7d9c5b6f4-klmno_orders-dev", events[^1].ToString());
    }

    [Fact]
    public void The_route_split_and_the_preview_rule_are_read_from_the_httproute()
    {
        var w = KubeJson.ParseHttpRoute(ClusterScript.Fixture("httproute.json"), "orders-stable", "orders-canary", "X-Canary");
        Assert.Equal(new RouteWeights(90, 10, PreviewRule: true), w);
        Assert.Equal(new RouteWeights(90, 10, PreviewRule: false), KubeJson.ParseHttpRoute(ClusterScript.Fixture("httproute.json"), "orders-stable", "orders-canary", "X-Other"));
    }

    [Fact]
    public void A_backend_ref_without_weight_counts_one_as_the_gateway_api_defines()
    {
        const string route = """{"spec":{"rules":[{"backendRefs":[{"name":"s","port":80},{"name":"c","port":80,"weight":0}]}]}}""";
        Assert.Equal(new RouteWeights(1, 0, false), KubeJson.ParseHttpRoute(route, "s", "c", "X-Canary"));
    }

    [Theory]
    [InlineData("docker.io/library/orders@sha256:ab", "sha256:ab")]
    [InlineData("sha256:ab", "sha256:ab")]
    [InlineData("docker-pullable://reg/orders@sha256:ab", "sha256:ab")]
    [InlineData("", "")]
    public void Digests_are_taken_from_any_image_id_form(string imageId, string digest) => Assert.Equal(digest, KubeJson.DigestOf(imageId));
}
