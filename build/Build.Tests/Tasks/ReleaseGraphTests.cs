using Pipeline.Host;
using Pipeline.Tasks;

namespace Pipeline.Tests.Tasks;

/// <summary>The release order is what protects production: these read it from Cake's own graph builder.</summary>
public class ReleaseGraphTests
{
    private static IReadOnlyList<string> Plan(string target) => TaskPlan.For(typeof(Pipeline.Tasks.Release).Assembly, target);

    [Fact]
    public void Release_runs_build_test_image_scan_push_plan_drift_approve_canary_gate_promote_in_that_order()
    {
        Assert.Equal(
            [
                "Build", "ChartValidate", "UnitTest", "Prerequisites", "IntegrationTest", "Test",
                "ImageBuild", "ImageScan", "Push", "Up",
                "TerraformPlan", "DriftCheck", "ApproveDeploy",
                "HelmUpgradeCanary", "PromoteGate", "Promote", "Release",
            ],
            Plan(nameof(Release)));
    }

    [Fact]
    public void In_every_target_no_deploy_task_runs_before_the_image_is_scanned_and_pushed_and_approved()
    {
        var deployTasks = new[] { nameof(HelmUpgradeCanary), nameof(Promote) };
        foreach (var task in TaskInfo.All(typeof(Pipeline.Tasks.Release).Assembly))
        {
            var plan = Plan(task.Name).ToList();
            foreach (var deploy in deployTasks.Where(plan.Contains).Select(t => plan.IndexOf(t)))
            {
                if (!plan.Contains(nameof(HelmUpgradeCanary))) continue; // promotes an already-live canary, deploys nothing new
                Assert.InRange(plan.IndexOf(nameof(ImageScan)), 0, deploy - 1);
                Assert.InRange(plan.IndexOf(nameof(Push)), plan.IndexOf(nameof(ImageScan)) + 1, deploy - 1);
                Assert.InRange(plan.IndexOf(nameof(ApproveDeploy)), 0, deploy - 1);
            }
        }
    }

    [Fact]
    public void Release_deploys_the_canary_before_the_gate_judges_it()
    {
        var plan = Plan(nameof(Release)).ToList();
        Assert.True(plan.IndexOf(nameof(HelmUpgradeCanary)) < plan.IndexOf(nameof(PromoteGate)));
        Assert.True(plan.IndexOf(nameof(PromoteGate)) < plan.IndexOf(nameof(Promote)));
    }

    [Fact]
    public void Every_test_runs_before_any_image_is_built_in_a_release()
    {
        var plan = Plan(nameof(Release)).ToList();
        Assert.True(plan.IndexOf(nameof(Test)) < plan.IndexOf(nameof(ImageBuild)));
    }

    [Fact]
    public void Push_is_always_preceded_by_scan_and_build_of_the_image()
    {
        Assert.Equal(["Prerequisites", "Build", "ImageBuild", "ImageScan", "Push"], Plan(nameof(Push)));
    }

    [Fact]
    public void Every_task_has_a_description_and_resolvable_dependencies()
    {
        var tasks = TaskInfo.All(typeof(Pipeline.Tasks.Release).Assembly);
        Assert.All(tasks, t => Assert.False(string.IsNullOrWhiteSpace(t.Description), t.Name));
        var names = tasks.Select(t => t.Name).ToHashSet();
        Assert.All(tasks.SelectMany(t => t.Dependencies), d => Assert.Contains(d, names));
    }

    [Fact]
    public void Tree_renders_the_release_dependencies()
    {
        var tree = TaskTree.Render(TaskInfo.All(typeof(Pipeline.Tasks.Release).Assembly), nameof(Release));
        Assert.StartsWith("Release\n├── Test\n", tree);
        Assert.Contains("├── HelmUpgradeCanary", tree);
        Assert.Contains("└── Promote", tree);
    }
}
