using Pipeline.Host;
using Pipeline.Tests.Host;

namespace Pipeline.Tests;

/// <summary>Bad arguments are refused before the first task: exit 2, nothing ran (no artifacts, no state).</summary>
public class ArgumentRulesTests
{
    private static readonly string Digest = "localhost:5000/orders-api@sha256:" + new string('a', 64);

    private static List<string> Errors(params string[] args) =>
        ArgumentRules.Validate(new Cake.Core.CakeArguments(HostArguments.Parse(args).Lookup));

    [Theory]
    [InlineData("--image=localhost:5000/orders-api:latest", "--image: 'localhost:5000/orders-api:latest' is not a digest reference")]
    [InlineData("--image=localhost:5000/orders-api:1.3.0@sha256:0000000000000000000000000000000000000000000000000000000000000000", "is not a digest reference")]
    [InlineData("--app-release=9", "--app-release: '9' must be 1, 2 or 3")]
    [InlineData("--app-release=two", "--app-release: 'two' must be 1, 2 or 3")]
    [InlineData("--step=150", "--step: '150' must be a canary weight between 0 and 100")]
    [InlineData("--step=-5", "--step: '-5' must be a canary weight")]
    [InlineData("--prometheus=localhost:9", "--prometheus: 'localhost:9' is not an absolute http(s) URL")]
    [InlineData("--candidate-env=ORDERS_FAULT_ERROR_RATE", "'ORDERS_FAULT_ERROR_RATE' is not NAME=value")]
    [InlineData("--candidate-env=PATH=/tmp", "'PATH' is not an ORDERS_FAULT_* variable")]
    [InlineData("--candidate-env=ORDERS_FAULT_ERROR_RATE=0.1,ORDERS_FAULT_ERROR_RATE=0.2", "given twice")]
    [InlineData("--candidate-env=ORDERS_FAULT_ERROR_RATE=0.02 --candidate-env=ORDERS_FAULT_AFTER_REQUESTS=20", "--candidate-env is given 2 times; give it once with every variable in it, comma-separated")]
    [InlineData("--app-release=1 --app-release=2", "--app-release is given 2 times; give it once.")]
    [InlineData("--dry-run", "Unknown argument --dry-run. Did you mean --dryrun?")]
    [InlineData("--dryrun=yes", "--dryrun: 'yes' is not true or false")]
    [InlineData("--approved-by", "--approved-by: name who approved")]
    [InlineData("--target=Reset", "confirm with --confirm=local")]
    public void A_bad_value_is_named_with_what_would_be_right(string arg, string message) =>
        Assert.Contains(Errors(arg.Split(' ')), e => e.Contains(message, StringComparison.Ordinal));

    [Fact]
    public void Good_arguments_pass() =>
        Assert.Empty(Errors("--target=Release", "--env=local", "--dryrun", "--app-release=1", "--image=" + Digest, "--step=25",
            "--prometheus=http://127.0.0.1:9", "--candidate-env=ORDERS_FAULT_ERROR_RATE=0.3,ORDERS_FAULT_EXTRA_LATENCY_MS=50",
            "--approve", "--approved-by=alice", "--override-window=hotfix", "--verbosity=quiet", "--tree=false"));

    [Theory]
    [InlineData("--target=Release", "--image=localhost:5000/orders-api:latest", "--image: 'localhost:5000/orders-api:latest' is not a digest reference")]
    [InlineData("--target=Release", "--app-release=9", "--app-release: '9' must be 1, 2 or 3")]
    [InlineData("--target=PromoteGate", "--step=abc", "--step: 'abc' must be a canary weight")]
    [InlineData("--target=Release", "--candidate-env=ORDERS_FAULT_ERROR_RATE", "is not NAME=value")]
    [InlineData("--target=Release", "--dry-run", "Did you mean --dryrun?")]
    public void The_host_refuses_a_bad_argument_with_exit_2_before_any_task(string target, string arg, string message)
    {
        using var host = new HostProcess();
        var r = host.Run([target, arg]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Output);
        Assert.DoesNotContain("Plan ", r.Output);
        Assert.False(Directory.Exists(host.Artifacts), "no task may run with a bad argument");
        Assert.False(Directory.Exists(host.State), "nothing may touch the environment's state with a bad argument");
    }

    [Fact]
    public void Reset_needs_the_environments_name_as_confirmation()
    {
        Assert.Contains(Errors("--target=Reset", "--env=dev", "--confirm=local"), e => e.Contains("confirm with --confirm=dev"));
        Assert.Empty(Errors("--target=Reset", "--env=dev", "--confirm=dev"));
        using var host = new HostProcess();
        var r = host.Run(["--target=Reset", "--env=local"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Reset removes environment 'local' and starts a new audit trail: confirm with --confirm=local.", r.Output);
        Assert.False(Directory.Exists(host.State));
    }

    [Fact]
    public void ReleaseDrill_runs_on_local_only_and_needs_the_reset_confirmed()
    {
        Assert.Contains(Errors("--target=ReleaseDrill", "--env=prod", "--confirm=prod"), e => e.Contains("ReleaseDrill runs on the single-host environment 'local' only, not 'prod'"));
        Assert.Contains(Errors("--target=ReleaseDrill"), e => e.Contains("ReleaseDrill starts with a Reset of 'local' (a new audit trail): confirm with --confirm=local."));
        Assert.Empty(Errors("--target=ReleaseDrill", "--env=local", "--confirm=local"));
        Assert.Empty(Errors("--target=ReleaseDrill", "--confirm=local", "--phases=2,3,4"));
        Assert.Contains(Errors("--target=ReleaseDrill", "--confirm=local", "--phases=2,9"), e => e.StartsWith("--phases: unknown phase '9'; the drill's phases are 1, 2, C1, 3, 4, C2, 6a, 6b, 7a, 7b, C3, 7c, 5, C4.", StringComparison.Ordinal));
        Assert.Contains(Errors("--target=Release", "--phases=2"), e => e == "--phases selects phases of ReleaseDrill only (target here: 'Release').");
        using var host = new HostProcess();
        var r = host.Run(["--target=ReleaseDrill", "--env=staging"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not 'staging'", r.Output);
        Assert.False(Directory.Exists(host.State));
    }

    [Fact]
    public void An_unknown_target_exits_2_and_lists_the_valid_ones()
    {
        using var host = new HostProcess();
        var r = host.Run(["--target=Deploy"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Unknown target 'Deploy'.", r.Output);
        Assert.Matches(@"Targets: .*\bRelease\b.*", r.Output);
        Assert.Contains("Rollback", r.Output);
        Assert.False(Directory.Exists(host.Artifacts));
    }
}
