using System.Text.Json;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Infrastructure.Support;

/// <summary>
/// The pinned validators of build/iac (npm ci on first use, as Prerequisites does on a fresh machine), run through
/// the pipeline's own runner: HCL parsed by HashiCorp's parser, workflows linted by actionlint.
/// </summary>
public static class IacTools
{
    public static readonly string RepoRoot = BuildPaths.Discover("local").RepoRoot;
    private static readonly Lazy<ToolRunner> Runner = new(() =>
    {
        var cake = TestCake.Create();
        var runner = new ToolRunner(cake, dryRun: false);
        IacValidators.Ensure(runner, RepoRoot, cake.Log);
        return runner;
    });

    public static string Dir => IacValidators.Dir(RepoRoot);

    /// <summary>Every .tf/.tfvars under <paramref name="root"/>, parsed: relative path → HCL as JSON.</summary>
    public static Dictionary<string, JsonElement> ParseTerraform(string root)
    {
        var result = Runner.Value.Run(IacValidators.ParseHcl(Dir, root), timeout: TimeSpan.FromMinutes(2));
        using var doc = JsonDocument.Parse(result.StandardOutput);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    /// <summary>The tool's exit code and output, for a run that is expected to fail (a file that does not parse).</summary>
    public static ToolResult TryParseTerraform(string root) =>
        Runner.Value.Run(IacValidators.ParseHcl(Dir, root), allowFailure: true, timeout: TimeSpan.FromMinutes(2));

    public sealed record LintFinding(string File, int Line, int Column, string Message, string Kind);

    public static IReadOnlyList<LintFinding> Actionlint(IEnumerable<string> workflows)
    {
        var result = Runner.Value.Run(IacValidators.Actionlint(Dir, workflows), timeout: TimeSpan.FromMinutes(2));
        return JsonSerializer.Deserialize<List<LintFinding>>(result.StandardOutput, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }
}
