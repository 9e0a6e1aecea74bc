using Pipeline.Charts;

namespace Pipeline.Tests.Charts;

/// <summary>`npm ci` runs only when node_modules does not hold exactly the locked validators.</summary>
public class ChartToolsTests
{
    private const string Lock = """{"lockfileVersion":3,"packages":{"":{"name":"x"},"node_modules/yaml":{"version":"2.9.1"},"node_modules/ajv":{"version":"8.17.1"}}}""";

    private static ChartTools Repo(string? hiddenLock)
    {
        var root = Directory.CreateTempSubdirectory("chart-tools-").FullName;
        var validate = Path.Combine(root, "charts", "validate");
        Directory.CreateDirectory(Path.Combine(validate, "node_modules"));
        File.WriteAllText(Path.Combine(validate, "package-lock.json"), Lock);
        if (hiddenLock is not null) File.WriteAllText(Path.Combine(validate, "node_modules", ".package-lock.json"), hiddenLock);
        return new ChartTools(root);
    }

    [Fact]
    public void The_installed_tree_of_the_lock_is_current() =>
        Assert.True(Repo("""{"packages":{"node_modules/ajv":{"version":"8.17.1"},"node_modules/yaml":{"version":"2.9.1"}}}""").NodeModulesCurrent());

    [Fact]
    public void Another_version_or_no_install_is_not() =>
        Assert.All([Repo("""{"packages":{"node_modules/ajv":{"version":"8.17.1"},"node_modules/yaml":{"version":"2.8.0"}}}"""), Repo(null)],
            t => Assert.False(t.NodeModulesCurrent()));
}
