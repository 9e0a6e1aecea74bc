using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

/// <summary>Exact argv of the commands chart validation runs.</summary>
public class ChartToolCommandTests
{
    [Fact]
    public void Helm_lint_names_the_namespace_the_values_were_generated_for() =>
        Assert.Equal(["lint", "charts/orders", "--strict", "--namespace", "orders-dev", "--values", "dev.values.yaml"],
            Helm.LintValues("charts/orders", "orders-dev", "dev.values.yaml").Args);

    [Fact]
    public void Npm_ci_installs_exactly_the_lock_without_scripts() =>
        Assert.Equal("npm ci --prefix charts/validate --ignore-scripts --no-audit --no-fund --silent", Npm.Ci("charts/validate").ToString());

    [Fact]
    public void Node_runs_a_script_with_its_arguments() =>
        Assert.Equal(["charts/validate/cel.mjs", "rendered.yaml", "samples.json"],
            Node.Script("charts/validate/cel.mjs", "rendered.yaml", "samples.json").Args);
}
