using System.Reflection;
using Pipeline.Drill.Contrast;

namespace Pipeline.Tests.Drill.Contrast;

/// <summary>
/// The seam-break contrasts reproduce outages; they must never be reachable from a normal release, an argument or
/// a configuration key. Checked on the source tree and the assembly, so a new reference fails here.
/// </summary>
public sealed class DrillIsolationTests
{
    private static readonly string BuildDir = Path.Combine(BuildPaths.Discover("local").RepoRoot, "build", "Build");
    private static readonly string[] SeamBreakers = ["NoReadinessGateWorkloads", "NoDrainWorkloads", "HealthChecksOff", "HaproxyHealth", "HaproxyWithoutRetries"];

    [Fact]
    public void Only_the_drill_refers_to_the_seam_breakers()
    {
        var outside = Directory.EnumerateFiles(BuildDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}Drill{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("Drill.Contrast", StringComparison.Ordinal) || SeamBreakers.Any(t => text.Contains(t, StringComparison.Ordinal))))
            .Select(f => Path.GetRelativePath(BuildDir, f)).ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void The_seam_breakers_are_internal_and_the_contrast_phases_are_only_in_the_drill_plan()
    {
        var types = typeof(NoDrainWorkloads).Assembly.GetTypes().Where(t => t.Namespace == "Pipeline.Drill.Contrast" && !t.IsNested).ToList();
        Assert.All(types.Where(t => SeamBreakers.Contains(t.Name)), t => Assert.False(t.IsPublic, t.Name + " must be internal"));
        Assert.Equal(SeamBreakers.Order(), types.Where(t => SeamBreakers.Contains(t.Name)).Select(t => t.Name).Order());
        var drillDir = Path.Combine(BuildDir, "Drill");
        var users = Directory.EnumerateFiles(drillDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Contrast{Path.DirectorySeparatorChar}") && File.ReadAllText(f).Contains("Drill.Contrast", StringComparison.Ordinal))
            .Select(Path.GetFileName).ToList();
        Assert.Equal(["DrillPlan.cs"], users);
    }

    [Fact]
    public void No_argument_or_configuration_key_names_a_seam_or_a_contrast()
    {
        string[] words = ["contrast", "seam", "readiness", "drain", "health", "expand"];
        Assert.DoesNotContain(Pipeline.ArgumentRules.Known, k => words.Any(w => k.Contains(w, StringComparison.OrdinalIgnoreCase)));
        var configProperties = typeof(Pipeline.Config.EnvironmentConfig).Assembly.GetTypes()
            .Where(t => t.Namespace == "Pipeline.Config").SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)).Select(p => p.Name).ToList();
        Assert.DoesNotContain(configProperties, p => p.Contains("contrast", StringComparison.OrdinalIgnoreCase) || p.Contains("seam", StringComparison.OrdinalIgnoreCase)
            || p.Contains("HealthCheck", StringComparison.OrdinalIgnoreCase) || p.Contains("SkipDrain", StringComparison.OrdinalIgnoreCase));
    }
}
