namespace Pipeline.Config;

/// <summary>
/// The chart's side of a Kubernetes environment (the keys ChartValues turns into chart values). Checked before
/// anything runs, so a bad value is exit 2 with the key's name, not a failed `helm upgrade` halfway through a release.
/// </summary>
public static partial class ConfigValidator
{
    private static void ValidateChartSide(EnvironmentConfig c, List<string> e)
    {
        var k = c.Kubernetes;
        var a = c.App;
        // The kubelet's budget: preStop sleep, then SIGTERM → drain → in-flight requests inside the shutdown timeout.
        if (k.PreStopSleepSeconds is < 0 or > 60) e.Add("kubernetes.preStopSleepSeconds: must be between 0 and 60");
        if (a.GracePeriodSeconds <= k.PreStopSleepSeconds + a.DrainDelaySeconds + a.ShutdownTimeoutSeconds)
            e.Add($"app.gracePeriodSeconds: {a.GracePeriodSeconds} must exceed kubernetes.preStopSleepSeconds + drainDelaySeconds + shutdownTimeoutSeconds "
                + $"({k.PreStopSleepSeconds + a.DrainDelaySeconds + a.ShutdownTimeoutSeconds}) on Kubernetes, or the kubelet SIGKILLs requests in flight");
        foreach (var (name, p) in new[] { ("readiness", k.Probes.Readiness), ("liveness", k.Probes.Liveness), ("startup", k.Probes.Startup) })
            if (p.PeriodSeconds < 1 || p.TimeoutSeconds < 1 || p.FailureThreshold < 1 || p.TimeoutSeconds > p.PeriodSeconds)
                e.Add($"kubernetes.probes.{name}: periodSeconds, timeoutSeconds, failureThreshold must be ≥ 1 and timeoutSeconds ≤ periodSeconds");
        if (c.Strategy.MaxUnavailable != 0) e.Add("strategy.maxUnavailable: must be 0 on Kubernetes (never below the declared capacity during a rollout)");
        if (c.Strategy.MaxSurge < 1) e.Add("strategy.maxSurge: must be at least 1 on Kubernetes (a rollout needs room for one new pod)");
        if (string.IsNullOrWhiteSpace(k.Gateway.Name) || string.IsNullOrWhiteSpace(k.Gateway.Namespace))
            e.Add("kubernetes.gateway.name/namespace: required (the Gateway the HTTPRoute attaches to)");
        var db = k.Database;
        if (string.IsNullOrWhiteSpace(db.Host)) e.Add("kubernetes.database.host: required");
        if (!System.Net.IPNetwork.TryParse(db.Cidr, out _)) e.Add($"kubernetes.database.cidr: '{db.Cidr}' is not a CIDR (the NetworkPolicy's egress to PostgreSQL)");
        var external = db.ExternalSecret is not null;
        if (external == (db.ExistingSecret.Length > 0))
            e.Add("kubernetes.database: set exactly one of existingSecret (a Secret's name) or externalSecret (store + key); the password is never in this file");
        if (db.ExternalSecret is { } es && (es.Store.Length == 0 || es.Key.Length == 0 || es.StoreKind is not ("SecretStore" or "ClusterSecretStore")))
            e.Add("kubernetes.database.externalSecret: store, key and storeKind (SecretStore|ClusterSecretStore) are required");
        if (k.MaxReplicas != 0 && k.MaxReplicas < c.Replicas) e.Add($"kubernetes.maxReplicas: {k.MaxReplicas} is below replicas ({c.Replicas}); 0 turns autoscaling off");
        if (k.TargetCpuPercent is < 1 or > 100) e.Add("kubernetes.targetCpuPercent: must be between 1 and 100");
        if (k.PipelineUsers.Count == 0 || k.PipelineUsers.Any(string.IsNullOrWhiteSpace))
            e.Add("kubernetes.pipelineUsers: at least one identity (e.g. system:serviceaccount:ci:orders-pipeline); the admission policy lets nobody else change the release");
        if (k.AuditRetention is < KubernetesConfig.MinAuditRetention or > KubernetesConfig.MaxAuditRetention)
            e.Add($"kubernetes.auditRetention: {k.AuditRetention} must be between {KubernetesConfig.MinAuditRetention} and {KubernetesConfig.MaxAuditRetention} "
                + $"(audit entries kept in the cluster; default {KubernetesConfig.DefaultAuditRetention}; older ones are deleted after each append)");
        if (Uri.TryCreate(k.PrometheusUrl, UriKind.Absolute, out var prom) && PrometheusNamespace(prom) is null)
            e.Add($"kubernetes.prometheusUrl: '{k.PrometheusUrl}' is not an in-cluster Service address (<service>.<namespace>.svc[…]): the NetworkPolicy admits scrapes from that namespace");
    }

    /// <summary>"prometheus-operated.monitoring.svc[.cluster.local]" → "monitoring".</summary>
    public static string? PrometheusNamespace(Uri url)
    {
        var labels = url.Host.Split('.');
        return labels.Length >= 3 && labels[2] == "svc" && labels[1].Length > 0 ? labels[1] : null;
    }
}
