using System.Text.RegularExpressions;

namespace Pipeline.Config;

/// <summary>Rules that keep a configuration from describing an unsafe release. Each error names its key.</summary>
public static partial class ConfigValidator
{
    // [registry[:port]/]name[/name…]@sha256:<64 hex>. A tag (or tag@digest) is not accepted: it can be moved.
    [GeneratedRegex("^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*@sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestReference();

    public static bool IsDigestReference(string reference) => DigestReference().IsMatch(reference);

    private static bool KnownTimeZone(string id)
    {
        try { TimeZoneInfo.FindSystemTimeZoneById(id); return true; }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException) { return false; }
    }

    // RFC 9110 token, less '#', '$' and '\'' (HAProxy reads them as comment, variable and quote in haproxy.cfg).
    [GeneratedRegex("^[A-Za-z0-9!%&*+.^_`|~-]+$")]
    private static partial Regex HeaderName();

    // Visible ASCII less space, quotes, '#', '$', '\\', braces: the value becomes one word of an HAProxy acl line.
    [GeneratedRegex("^[A-Za-z0-9!%&()*+,./:;<=>?@\\[\\]^_`|~-]+$")]
    private static partial Regex HeaderValue();

    /// <summary>
    /// previewHeader is written into haproxy.cfg (`acl preview req.hdr(NAME) -m str VALUE`): a newline there
    /// would add directives of the author's choosing (e.g. an admin-level stats page), a '#' would comment
    /// the match out and make every request a preview one.
    /// </summary>
    private static IEnumerable<string> PreviewHeaderErrors(string header)
    {
        const string key = "strategy.previewHeader";
        var i = header.IndexOf(':');
        if (i < 0)
        {
            yield return $"{key}: {Show(header)} must look like 'Name: value'";
            yield break;
        }
        var (name, value) = (header[..i].Trim(' ', '\t'), header[(i + 1)..].Trim(' ', '\t'));
        if (!HeaderName().IsMatch(name))
            yield return $"{key}: the header name {Show(name)} must be an HTTP token (RFC 9110: letters, digits and !%&*+-.^_`|~; no spaces, '#', '$' or quotes)";
        if (!HeaderValue().IsMatch(value))
            yield return $"{key}: the header value {Show(value)} must be one word of visible ASCII without quotes, '#', '$', '\\' or braces (it is written into haproxy.cfg)";
    }

    /// <summary>Quotes a value for an error message with control characters made visible (a raw newline would split the message).</summary>
    private static string Show(string s) =>
        "'" + string.Concat(s.Select(c => c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", < ' ' or (char)127 => $"\\x{(int)c:x2}", _ => c.ToString() })) + "'";

    public static List<string> Validate(EnvironmentConfig c, string expectedName)
    {
        var e = new List<string>();
        if (c.Name != expectedName) e.Add($"name: '{c.Name}' must match the file name '{expectedName}'");
        if (c.Replicas < 1 || c.Replicas > 20) e.Add($"replicas: {c.Replicas} must be between 1 and 20");
        if (string.IsNullOrWhiteSpace(c.Image.Registry)) e.Add("image.registry: required");
        if (string.IsNullOrWhiteSpace(c.Image.Repository)) e.Add("image.repository: required");
        if (c.Image.Base != "local" && !IsDigestReference(c.Image.Base))
            e.Add($"image.base: '{c.Image.Base}' must be 'local' or an image pinned by digest (name@sha256:<64 hex>); a tag can change under you");
        if (c.Image.Deploy is { Length: > 0 } d && !IsDigestReference(d))
            e.Add($"image.deploy: '{d}' is not a digest reference (name@sha256:<64 hex>); mutable tags are never deployed");

        var s = c.Strategy;
        if (s.MaxSurge < 0 || s.MaxUnavailable < 0) e.Add("strategy.maxSurge/maxUnavailable: must not be negative");
        if (s.MaxSurge == 0 && s.MaxUnavailable == 0) e.Add("strategy: maxSurge and maxUnavailable cannot both be 0 (the rollout could never progress)");
        if (s.MaxUnavailable >= c.Replicas) e.Add($"strategy.maxUnavailable: {s.MaxUnavailable} would allow zero ready instances with {c.Replicas} replicas");
        if (s.Kind == StrategyKind.Canary)
        {
            if (s.Steps.Count == 0) e.Add("strategy.steps: a canary needs at least one step");
            else
            {
                if (s.Steps.Any(w => w is < 1 or > 100)) e.Add("strategy.steps: each weight must be between 1 and 100");
                if (s.Steps.Zip(s.Steps.Skip(1)).Any(p => p.Second <= p.First)) e.Add("strategy.steps: weights must increase");
                if (s.Steps[^1] != 100) e.Add("strategy.steps: the last step must be 100");
            }
        }
        if (s.PauseSeconds < 0) e.Add("strategy.pauseSeconds: must not be negative");
        e.AddRange(PreviewHeaderErrors(s.PreviewHeader));

        var g = c.Gates;
        if (g.MinLineCoveragePercent is < 0 or > 100) e.Add("gates.minLineCoveragePercent: must be between 0 and 100");
        e.AddRange(CanaryGateErrors(g.Canary));
        foreach (var sev in g.Scan.FailOnSeverities.Where(x => x is not ("LOW" or "MEDIUM" or "HIGH" or "CRITICAL")))
            e.Add($"gates.scan.failOnSeverities: unknown severity '{sev}'");
        for (var i = 0; i < g.DenyWindows.Count; i++)
        {
            var w = g.DenyWindows[i];
            if (!TimeOnly.TryParse(w.From, out _)) e.Add($"gates.denyWindows[{i}].from: '{w.From}' is not HH:mm");
            if (!TimeOnly.TryParse(w.To, out _)) e.Add($"gates.denyWindows[{i}].to: '{w.To}' is not HH:mm");
            if (w.Days.Count == 0) e.Add($"gates.denyWindows[{i}].days: at least one day");
            if (!KnownTimeZone(w.TimeZone)) e.Add($"gates.denyWindows[{i}].timeZone: '{w.TimeZone}' is not a known time zone (e.g. UTC, Europe/Berlin)");
            if (w.Reason.Length == 0) e.Add($"gates.denyWindows[{i}].reason: say why deploys are denied (people read it when they are refused)");
        }
        if (c.Name == "prod" && !g.RequireApproval) e.Add("gates.requireApproval: prod must require a manual approval");
        // A scanner that only warns lets a known-exploitable image reach customers unnoticed.
        if (c.Name == "prod" && g.Scan.CveScanner != ScannerPolicy.Required) e.Add("gates.scan.cveScanner: prod must be 'required' (a missing scanner blocks the release)");

        var a = c.App;
        if (a.DrainDelaySeconds < 0 || a.ShutdownTimeoutSeconds < 1) e.Add("app.drainDelaySeconds/shutdownTimeoutSeconds: out of range");
        if (a.GracePeriodSeconds <= a.DrainDelaySeconds + a.ShutdownTimeoutSeconds)
            e.Add($"app.gracePeriodSeconds: {a.GracePeriodSeconds} must exceed drainDelaySeconds + shutdownTimeoutSeconds ({a.DrainDelaySeconds + a.ShutdownTimeoutSeconds}), or in-flight requests are killed");

        if (a.DbMaxPoolSize is < 1 or > 1000) e.Add($"app.dbMaxPoolSize: {a.DbMaxPoolSize} is out of range (1..1000)");

        if (c.Resources.Cpus <= 0) e.Add("resources.cpus: must be positive");
        if (c.Resources.MemoryMb < 64) e.Add("resources.memoryMb: must be at least 64");

        if (c.Target == TargetKind.SingleHost)
        {
            var h = c.SingleHost;
            var ports = new[] { h.LoadBalancerPort, h.StatsPort, h.PrometheusPort, h.RegistryPort, h.PostgresPort, h.AppPortBase };
            if (ports.Any(p => p is < 1024 or > 65000)) e.Add("singleHost: ports must be between 1024 and 65000");
            if (ports.Distinct().Count() != ports.Length) e.Add("singleHost: ports must be distinct");
            if (EphemeralPorts.Overlap(ports.Append(h.AppPortBase + PostgresCapacity.Slots(c) - 1), EphemeralPorts.HostRange()) is { } clash) e.Add(clash);
            if (PostgresCapacity.Shortfall(c) is { } shortfall) e.Add(shortfall);
            var lt = h.LoadTest;
            // A bound on the rate: the tester shares 2 cores with the app it measures.
            if (lt.RatePerSecond is < 0 or > 2000) e.Add("singleHost.loadTest.ratePerSecond: must be between 0 (off) and 2000");
            if (lt.WriteRatio is < 0 or > 1) e.Add("singleHost.loadTest.writeRatio: must be between 0 and 1");
            if (lt.RatePerSecond > 0 && lt.WriteRatio < 1 && lt.Paths.Count == 0) e.Add("singleHost.loadTest.paths: at least one read path when reads are sent");
            if (lt.Paths.Any(p => !p.StartsWith('/'))) e.Add("singleHost.loadTest.paths: each path must start with '/'");
            if (lt.MaxSeconds is < 10 or > 3600) e.Add("singleHost.loadTest.maxSeconds: must be between 10 and 3600");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(c.Kubernetes.Namespace)) e.Add("kubernetes.namespace: required for target kubernetes");
            // The canary gate must judge against the cluster's Prometheus: without one every verdict would be "no data".
            if (!(Uri.TryCreate(c.Kubernetes.PrometheusUrl, UriKind.Absolute, out var prom) && prom.Scheme is "http" or "https"))
                e.Add($"kubernetes.prometheusUrl: required for target kubernetes, an absolute http(s) URL (got '{c.Kubernetes.PrometheusUrl}')");
            ValidateChartSide(c, e);
        }
        if (c.Notifications.WebhookUrl is { Length: > 0 } url
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            e.Add($"notifications.webhookUrl: '{url}' is not an absolute http(s) URL");
        return e;
    }
}
