using System.Text.Json;
using Pipeline.Kubernetes;

namespace Pipeline.Infrastructure;

/// <summary>
/// One environment's Terraform root (terraform/envs/&lt;env&gt;) and what the pipeline hands it. Everything the
/// environment's YAML already says (context, namespace, release, chart, image repository) and the digest the
/// pipeline owns are written to artifacts/terraform/&lt;env&gt;/pipeline.tfvars.json on every plan, so nothing is
/// maintained twice and an apply from clean reinstalls exactly what release.json declares.
/// </summary>
public sealed record TerraformEnvironment(string Environment, string Dir, string WorkDir)
{
    public static TerraformEnvironment For(string repoRoot, string artifactsDir, string environment) =>
        new(environment, Path.Combine(repoRoot, "terraform", "envs", environment), Path.Combine(artifactsDir, "terraform", environment));

    /// <summary>Exact provider versions and hashes; init runs with -lockfile=readonly, so a missing one is an error, never a silent resolution.</summary>
    public string LockFile => Path.Combine(Dir, ".terraform.lock.hcl");
    public string PlanFile => Path.Combine(WorkDir, "plan.tfplan");
    public string DriftPlanFile => Path.Combine(WorkDir, "drift.tfplan");
    public string VariablesFile => Path.Combine(WorkDir, "pipeline.tfvars.json");
    public string ValuesFile => Path.Combine(WorkDir, "values.yaml");

    /// <summary>The root exists and its providers are locked; otherwise a clear error naming the fix.</summary>
    public void EnsureReady()
    {
        if (!Directory.Exists(Dir))
            throw new InvalidOperationException($"No Terraform root for environment '{Environment}': {Dir} does not exist.");
        if (!File.Exists(LockFile))
            throw new InvalidOperationException($"{LockFile} is missing: run `terraform -chdir={Dir} providers lock -platform=linux_amd64` on a machine with registry access and commit it (init runs with -lockfile=readonly).");
    }

    /// <summary>
    /// Writes the values file (the chart's values for <paramref name="declared"/>) and the variables file; returns the
    /// -var-file arguments (terraform.tfvars in the root is loaded by Terraform itself).
    /// </summary>
    public IReadOnlyList<string> WriteVariables(KubernetesSettings k, KubeDesired declared, ValuesRenderer render)
    {
        var digest = declared.Stable?.Digest
            ?? throw new InvalidOperationException($"Terraform declares the app by digest, and nothing is declared stable for '{Environment}' (no release in release.json and no image pushed in this run): run Push first or pass --image=REPO@sha256:….");
        Directory.CreateDirectory(WorkDir);
        File.WriteAllText(ValuesFile, render(declared));
        File.WriteAllText(VariablesFile, Variables(k, ChartVersion(k.Chart), digest, ValuesFile));
        return [VariablesFile];
    }

    /// <summary>The JSON variables file: keys are the variables of terraform/envs/&lt;env&gt;/variables.tf.</summary>
    public static string Variables(KubernetesSettings k, string chartVersion, string digest, string valuesFile) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["app_chart_path"] = k.Chart,
            ["app_chart_version"] = chartVersion,
            ["image_digest"] = digest,
            ["image_repository"] = k.ImageRepository,
            ["kube_context"] = k.Context,
            ["namespace"] = k.Namespace,
            ["release_name"] = k.ReleaseName,
            ["values_file"] = valuesFile,
        }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>charts/orders/Chart.yaml's version: the module's precondition compares it with the chart on disk.</summary>
    public static string ChartVersion(string chartDir)
    {
        var file = Path.Combine(chartDir, "Chart.yaml");
        if (!File.Exists(file)) throw new FileNotFoundException($"The app chart is missing: {file}.");
        var chart = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(File.ReadAllText(file));
        return chart.TryGetValue("version", out var v) && v?.ToString() is { Length: > 0 } version ? version
            : throw new InvalidDataException($"{file} has no version.");
    }

    /// <summary>
    /// What Terraform declares for the app: release.json's desired state, or — on a first install — the image this
    /// run pushed, on the stable track.
    /// </summary>
    public static KubeDesired Declared(KubeDesired fromState, string? pushedReference, string? pushedVersion, int replicas) =>
        fromState.Stable is not null || pushedReference is null ? fromState
            : new KubeDesired(new KubeTrack(HelmRelease.DigestOf(pushedReference), pushedVersion ?? "", replicas), null, 0);
}
