using Pipeline.SingleHost;
using Pipeline.SingleHost.Strategies;

namespace Pipeline.Tests.SingleHost;

public sealed class StrategyPlanTests
{
    private static ReleasePlan Plan(int replicas = 3, int surge = 1, int unavailable = 0, int[]? stable = null, int[]? steps = null) =>
        new(stable ?? [0, 1, 2], Enumerable.Range(0, 2 * replicas + 2).Except(stable ?? [0, 1, 2]).ToList(), replicas, surge, unavailable, steps ?? [5, 25, 50, 100], 10);

    private static string Render(IEnumerable<DeployAction> actions) => string.Join(" | ", actions);

    [Fact]
    public void Rolling_with_surge_1_unavailable_0_adds_one_then_removes_one_and_smokes_the_first()
    {
        var plan = new RollingStrategy().Plan(Plan());
        Assert.Equal(
            "migrate | start s3 | ready s3 | warm s3 | preview s3 | smoke | join s3 w100 | drain s0 | stop s0 | " +
            "start s4 | ready s4 | warm s4 | join s4 w100 | drain s1 | stop s1 | " +
            "start s5 | ready s5 | warm s5 | join s5 w100 | drain s2 | stop s2",
            Render(plan.Deploy));
        Assert.Equal("mark-stable", Render(plan.Promote));
    }

    [Fact]
    public void Rolling_never_has_fewer_ready_instances_than_replicas_minus_unavailable()
    {
        foreach (var (surge, unavailable) in new[] { (1, 0), (2, 0), (0, 1), (1, 1), (2, 2) })
        {
            var plan = new RollingStrategy().Plan(Plan(replicas: 4, surge, unavailable, stable: [0, 1, 2, 3]));
            int ready = 4, total = 4, maxTotal = 4, minReady = 4;
            foreach (var a in plan.Deploy)
            {
                if (a is StartInstance) total++;
                if (a is JoinLb) ready++;
                if (a is Drain) ready--;
                if (a is StopInstance) total--;
                maxTotal = Math.Max(maxTotal, total);
                minReady = Math.Min(minReady, ready);
            }
            Assert.True(minReady >= 4 - unavailable, $"surge {surge} unavailable {unavailable}: {minReady} ready");
            Assert.True(maxTotal <= 4 + surge, $"surge {surge} unavailable {unavailable}: {maxTotal} instances");
            Assert.Equal(4, plan.Deploy.OfType<StopInstance>().Count());
            Assert.Equal(4, plan.Deploy.OfType<JoinLb>().Count());
        }
    }

    [Fact]
    public void Rolling_with_surge_0_removes_before_it_adds()
    {
        var plan = new RollingStrategy().Plan(Plan(surge: 0, unavailable: 1));
        Assert.StartsWith("migrate | drain s0 | stop s0 | start s3", Render(plan.Deploy));
    }

    [Fact]
    public void BlueGreen_brings_the_whole_new_set_smokes_it_switches_and_keeps_blue_until_promote()
    {
        var plan = new BlueGreenStrategy().Plan(Plan());
        Assert.Equal(
            "migrate | start s3 | start s4 | start s5 | ready s3 | ready s4 | ready s5 | warm s3 | warm s4 | warm s5 | " +
            "preview s3,s4,s5 | smoke | join s3 w0 | join s4 w0 | join s5 w0 | shift 100%",
            Render(plan.Deploy));
        Assert.DoesNotContain(plan.Deploy, a => a is Drain or StopInstance);
        Assert.Equal("drain s0 | drain s1 | drain s2 | stop s0 | stop s1 | stop s2 | mark-stable", Render(plan.Promote));
    }

    [Fact]
    public void Canary_deploys_the_first_step_and_judges_every_later_one_growing_the_canary_set()
    {
        var plan = new CanaryStrategy().Plan(Plan());
        Assert.Equal("migrate | start s3 | ready s3 | warm s3 | preview s3 | smoke | join s3 w0 | shift 5%", Render(plan.Deploy));
        Assert.Equal(
            "pause 10s | judge 5% | shift 25% | pause 10s | judge 25% | " +
            "start s4 | ready s4 | warm s4 | join s4 w0 | shift 50% | pause 10s | judge 50% | " +
            "start s5 | ready s5 | warm s5 | join s5 w0 | shift 100% | " +
            "drain s0 | drain s1 | drain s2 | stop s0 | stop s1 | stop s2 | mark-stable",
            Render(plan.Promote));
    }

    [Fact]
    public void A_plan_that_needs_more_slots_than_are_free_is_refused()
    {
        var r = new ReleasePlan([0, 1, 2], [3], 3, 1, 0, [100], 0);
        Assert.Throws<InvalidOperationException>(() => new BlueGreenStrategy().Plan(r));
    }

    [Theory]
    [InlineData(5, 3, 1, 63, 10)]
    [InlineData(25, 3, 1, 50, 50)]
    [InlineData(50, 3, 2, 33, 50)]
    [InlineData(100, 3, 3, 0, 67)]
    [InlineData(0, 3, 1, 67, 0)]
    [InlineData(1, 3, 1, 66, 2)]
    public void Traffic_weights_give_the_canary_set_its_share(int percent, int stable, int canary, int ws, int wc)
    {
        Assert.Equal((ws, wc), TrafficWeights.For(percent, stable, canary));
        if (percent is > 0 and < 100)
            Assert.InRange(canary * wc * 100.0 / (canary * wc + stable * ws), percent - 1, percent + 1);
    }

    [Fact]
    public void Strategies_are_picked_in_one_place_from_configuration()
    {
        Assert.IsType<RollingStrategy>(DeploymentStrategies.For(Pipeline.Config.StrategyKind.Rolling));
        Assert.IsType<BlueGreenStrategy>(DeploymentStrategies.For(Pipeline.Config.StrategyKind.BlueGreen));
        Assert.IsType<CanaryStrategy>(DeploymentStrategies.For(Pipeline.Config.StrategyKind.Canary));
    }
}
