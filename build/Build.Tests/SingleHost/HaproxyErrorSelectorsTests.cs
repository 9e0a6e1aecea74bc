using Pipeline.Gates.Canary;
using Pipeline.SingleHost;

namespace Pipeline.Tests.SingleHost;

public class HaproxyErrorSelectorsTests
{
    [Fact]
    public void Canary_connection_errors_are_the_app_backend_servers_whose_instance_is_scraped_as_canary() =>
        Assert.Equal(
            "haproxy_server_connection_errors_total{env=\"local\",proxy=\"app\"} * on (server) group_left () (0 * max by (server) (label_replace(up{env=\"local\",track=\"canary\"}, \"server\", \"$1\", \"slot\", \"(.+)\")) + 1)",
            HaproxyErrorSelectors.For("local", CanaryQueries.Canary).Failures);

    [Fact]
    public void Stable_5xx_select_the_5xx_code_of_stable_servers()
    {
        var s = HaproxyErrorSelectors.Scope("it-x").Proxy(CanaryQueries.Stable).Responses5xx;
        Assert.StartsWith("haproxy_server_http_responses_total{env=\"it-x\",proxy=\"app\",code=\"5xx\"} * on (server)", s);
        Assert.Contains("track=\"stable\"", s);
    }
}
