namespace Pipeline.Tools;

/// <summary>argv for helm 4 (pinned: <see cref="ToolProvisioning.HelmVersion"/>). Every call names its kube context explicitly:
/// a default context is how a staging command lands on prod.</summary>
public static class Helm
{
    public static ToolCommand Version() => new("helm", "version", "--short");

    public static ToolCommand Lint(string chart, IEnumerable<string> valuesFiles) =>
        new("helm", ["lint", chart, "--strict", .. ValuesArgs(valuesFiles)]);

    /// <summary>Lints with the generated values in the environment's namespace (the chart refuses values rendered for another one).</summary>
    public static ToolCommand LintValues(string chart, string @namespace, string valuesFile) =>
        new("helm", "lint", chart, "--strict", "--namespace", @namespace, "--values", valuesFile);

    public static ToolCommand Template(string release, string chart, string @namespace, IEnumerable<string> valuesFiles) =>
        new("helm", ["template", release, chart, "--namespace", @namespace, .. ValuesArgs(valuesFiles)]);

    /// <summary>
    /// Installs or upgrades and waits for the rollout. --rollback-on-failure (helm 4's --atomic) returns to the
    /// previous revision if the new pods never become ready; the image is passed by digest only.
    /// </summary>
    public static ToolCommand UpgradeInstall(string kubeContext, string release, string chart, string @namespace,
        IEnumerable<string> valuesFiles, IReadOnlyDictionary<string, string> set, TimeSpan timeout)
    {
        var args = new List<string>
        {
            "upgrade", release, chart, "--install", "--kube-context", kubeContext, "--namespace", @namespace,
            "--wait=watcher", "--rollback-on-failure", "--timeout", $"{(int)timeout.TotalSeconds}s",
        };
        args.AddRange(ValuesArgs(valuesFiles));
        foreach (var (k, v) in set.OrderBy(p => p.Key, StringComparer.Ordinal)) args.AddRange(["--set-string", $"{k}={v}"]);
        return new ToolCommand("helm", args);
    }

    public static ToolCommand Rollback(string kubeContext, string release, string @namespace, int revision, TimeSpan timeout) =>
        new("helm", "rollback", release, revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--kube-context", kubeContext, "--namespace", @namespace, "--wait=watcher", "--timeout", $"{(int)timeout.TotalSeconds}s");

    public static ToolCommand History(string kubeContext, string release, string @namespace) =>
        new("helm", "history", release, "--kube-context", kubeContext, "--namespace", @namespace, "--output", "json");

    /// <summary>The values actually deployed (for the drift check's live-vs-declared comparison).</summary>
    public static ToolCommand GetValues(string kubeContext, string release, string @namespace) =>
        new("helm", "get", "values", release, "--kube-context", kubeContext, "--namespace", @namespace, "--all", "--output", "json");

    /// <summary>
    /// The release engine's one way to change the cluster: the generated values file (artifacts/kubernetes/&lt;env&gt;/values.yaml)
    /// applied to the one Helm release. --wait=hookOnly is helm 4's default, spelled out: helm waits for its hooks (the
    /// migration Job) but not for pods — readiness is polled by the pipeline itself, which can say WHY pods are not
    /// ready (events, last logs) where helm's watcher only times out. No --rollback-on-failure: a failed canary must
    /// not make helm roll the stable track back and forth; the engine's rollback (weight 0 first) owns that.
    /// </summary>
    public static ToolCommand UpgradeInstallValues(string kubeContext, string release, string chart, string @namespace, string valuesFile, TimeSpan timeout) =>
        new("helm", "upgrade", release, chart, "--install", "--kube-context", kubeContext, "--namespace", @namespace,
            "--values", valuesFile, "--wait=hookOnly", "--timeout", $"{(int)timeout.TotalSeconds}s", "--history-max", "20");

    /// <summary>The manifest of the deployed revision (drift: live objects' declaration vs what the chart renders now).</summary>
    public static ToolCommand GetManifest(string kubeContext, string release, string @namespace) =>
        new("helm", "get", "manifest", release, "--kube-context", kubeContext, "--namespace", @namespace);

    /// <summary>The user-supplied values of the deployed revision (exactly what the pipeline's values file said).</summary>
    public static ToolCommand GetUserValues(string kubeContext, string release, string @namespace) =>
        new("helm", "get", "values", release, "--kube-context", kubeContext, "--namespace", @namespace, "--output", "json");

    /// <summary>Renders the chart with the generated values, as the drift check's "declared" side.</summary>
    public static ToolCommand TemplateValues(string release, string chart, string @namespace, string valuesFile) =>
        new("helm", "template", release, chart, "--namespace", @namespace, "--values", valuesFile);

    private static IEnumerable<string> ValuesArgs(IEnumerable<string> files) => files.SelectMany(f => new[] { "--values", f });
}
