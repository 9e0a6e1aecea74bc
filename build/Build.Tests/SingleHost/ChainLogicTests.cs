using Pipeline.SingleHost;
using Pipeline.Tasks;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

/// <summary>The pure parts of the Release chain: when the gate has nothing to judge, what Promote skips, flags.</summary>
public sealed class ChainLogicTests
{
    private static readonly ReleaseImage Old = new("r/o@sha256:1", "1.1.0"), New = new("r/o@sha256:2", "1.2.0");

    [Fact]
    public void The_gate_skips_with_a_reason_when_no_canary_is_live()
    {
        Assert.Equal("nothing deployed yet", PromoteGate.NothingToJudge(ReleaseState.Empty));
        Assert.Equal("no canary is live (already serving 1.1.0)", PromoteGate.NothingToJudge(new ReleaseState(Old)));
        Assert.Equal("first install: no stable baseline", PromoteGate.NothingToJudge(new ReleaseState(null, New, "rolling")));
        Assert.Equal("strategy blue-green: no canary step to judge", PromoteGate.NothingToJudge(new ReleaseState(Old, New, "blue-green", 0)));
        Assert.Equal("canary at 0 %: it serves no traffic yet", PromoteGate.NothingToJudge(new ReleaseState(Old, New, "canary", 0)));
        Assert.StartsWith("canary at 100 %", PromoteGate.NothingToJudge(new ReleaseState(Old, New, "canary", 100)));
        Assert.Null(PromoteGate.NothingToJudge(new ReleaseState(Old, New, "canary", 10)));
    }

    [Fact]
    public void Flags_render_as_typed_json()
    {
        var json = FlagsFile.Render(new Dictionary<string, string> { ["readTotalFromCents"] = "false", ["limit"] = "3", ["name"] = "x" });
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(System.Text.Json.JsonValueKind.False, doc.RootElement.GetProperty("readTotalFromCents").ValueKind);
        Assert.Equal(3, doc.RootElement.GetProperty("limit").GetDouble());
        Assert.Equal("x", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal("{}\n", FlagsFile.Render(new Dictionary<string, string>()));
    }

    [Fact]
    public void App_containers_mount_the_flags_file_read_only()
    {
        var spec = new AppContainerSpec("c", "img", 18000, new Dictionary<string, string>(), new Dictionary<string, string>(), "s", 1, 256, 25, "orders-local", "/state/flags.json");
        var argv = Podman.RunApp(spec).ToString();
        Assert.Contains("--volume /state/flags.json:/etc/orders/flags.json:ro", argv);
        Assert.DoesNotContain("--volume", Podman.RunApp(spec with { FlagsFile = null }).ToString());
    }
}
