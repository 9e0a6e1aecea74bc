using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Tests.Infrastructure.Support;

/// <summary>
/// The structural rules terraform/ must keep, as pure checks over parsed HCL (hcl2json's shape: blocks are arrays,
/// expressions "${…}"). Each returns the violations, so a test can prove a rule catches a bad file, not only that
/// the good ones pass.
/// </summary>
public static partial class TerraformRules
{
    /// <summary>Blocks of one kind across files: (file, name, body). hcl2json: {"variable": {"x": [ {...} ]}}.</summary>
    public static IEnumerable<(string File, string Name, JsonElement Body)> Blocks(IReadOnlyDictionary<string, JsonElement> files, string kind) =>
        from f in files
        where f.Value.ValueKind == JsonValueKind.Object && f.Value.TryGetProperty(kind, out _)
        from named in f.Value.GetProperty(kind).EnumerateObject()
        from body in named.Value.ValueKind == JsonValueKind.Array ? named.Value.EnumerateArray().ToArray() : new[] { named.Value }
        select (f.Key, named.Name, body);

    /// <summary>The unnamed blocks of a kind (terraform, locals): {"terraform": [ {...} ]} → (file, body).</summary>
    public static IEnumerable<(string File, JsonElement Body)> Unnamed(IReadOnlyDictionary<string, JsonElement> files, string kind) =>
        from f in files
        where f.Value.ValueKind == JsonValueKind.Object && f.Value.TryGetProperty(kind, out _)
        from body in f.Value.GetProperty(kind).EnumerateArray()
        select (f.Key, body);

    /// <summary>Resources: {"resource": {"type": {"name": [ {...} ]}}} → (file, "type.name", body).</summary>
    public static IEnumerable<(string File, string Address, JsonElement Body)> Resources(IReadOnlyDictionary<string, JsonElement> files) =>
        from r in Blocks(files, "resource")
        from named in r.Body.EnumerateObject()
        from body in named.Value.EnumerateArray()
        select (r.File, $"{r.Name}.{named.Name}", body);

    /// <summary>
    /// The rules of a kubernetes_role_v1 as (API group, resource) → verbs: its rule blocks, and a dynamic "rule" over a
    /// local list of {api_group, resources} (content api_groups = [rule.value.api_group], resources =
    /// rule.value.resources); a list given as a local ("${local.x}") is resolved from the same files.
    /// </summary>
    public static Dictionary<(string Group, string Resource), HashSet<string>> RoleRules(IReadOnlyDictionary<string, JsonElement> files, string address)
    {
        var locals = Unnamed(files, "locals").SelectMany(l => l.Body.EnumerateObject()).ToDictionary(p => "${local." + p.Name + "}", p => p.Value);
        JsonElement Resolve(JsonElement e) => e.ValueKind == JsonValueKind.String ? locals[e.GetString()!] : e;
        var role = Resources(files).Single(r => r.Address == address).Body;
        var rules = new List<(IEnumerable<string> Groups, JsonElement Resources, JsonElement Verbs)>();
        if (role.TryGetProperty("rule", out var literal))
            rules.AddRange(literal.EnumerateArray().Select(r => (r.GetProperty("api_groups").EnumerateArray().Select(g => g.GetString()!), r.GetProperty("resources"), r.GetProperty("verbs"))));
        if (role.TryGetProperty("dynamic", out var dynamic) && dynamic.TryGetProperty("rule", out var generated))
            foreach (var d in generated.EnumerateArray())
            {
                var content = d.GetProperty("content")[0];
                if (content.GetProperty("api_groups")[0].GetString() != "${rule.value.api_group}" || content.GetProperty("resources").GetString() != "${rule.value.resources}")
                    throw new InvalidDataException($"{address}: a dynamic rule this check cannot read: {content}");
                rules.AddRange(Resolve(d.GetProperty("for_each")).EnumerateArray().Select(r =>
                    ((IEnumerable<string>)[r.GetProperty("api_group").GetString()!], r.GetProperty("resources"), content.GetProperty("verbs"))));
            }
        var result = new Dictionary<(string, string), HashSet<string>>();
        foreach (var (groups, resources, verbs) in rules)
            foreach (var group in groups)
                foreach (var resource in Resolve(resources).EnumerateArray())
                {
                    var key = (group, resource.GetString()!);
                    if (!result.TryGetValue(key, out var set)) result[key] = set = [];
                    set.UnionWith(Resolve(verbs).EnumerateArray().Select(v => v.GetString()!));
                }
        return result;
    }

    /// <summary>Every required provider has a lower and an upper bound (">= x, &lt; y" or "~> x.y").</summary>
    public static IEnumerable<string> UnboundedProviders(IReadOnlyDictionary<string, JsonElement> files)
    {
        foreach (var (file, body) in Unnamed(files, "terraform"))
        {
            if (!body.TryGetProperty("required_providers", out var rp)) continue;
            foreach (var block in rp.EnumerateArray())
            foreach (var p in block.EnumerateObject())
            {
                var version = p.Value.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
                var bounded = version.StartsWith("~>", StringComparison.Ordinal) || (version.Contains(">=") && version.Contains('<'));
                if (!bounded) yield return $"{file}: provider {p.Name} version '{version}' has no lower and upper bound";
                if (!p.Value.TryGetProperty("source", out _)) yield return $"{file}: provider {p.Name} has no source";
            }
        }
    }

    /// <summary>Every variable has a type and a non-empty description.</summary>
    public static IEnumerable<string> UndocumentedVariables(IReadOnlyDictionary<string, JsonElement> files) =>
        from v in Blocks(files, "variable")
        let type = v.Body.TryGetProperty("type", out _)
        let description = v.Body.TryGetProperty("description", out var d) && d.GetString() is { Length: > 0 }
        where !type || !description
        select $"{v.File}: variable {v.Name} lacks {(type ? "" : "a type")}{(!type && !description ? " and " : "")}{(description ? "" : "a description")}";

    /// <summary>
    /// Every helm_release from a repository has an exact chart version: a literal x.y.z (v optional), or a variable
    /// whose default is one. The app's chart is local and pinned by var.app_chart_version (checked separately).
    /// </summary>
    public static IEnumerable<string> UnpinnedCharts(IReadOnlyDictionary<string, JsonElement> files)
    {
        var defaults = Blocks(files, "variable").Where(v => v.Body.TryGetProperty("default", out _))
            .ToDictionary(v => v.Name, v => v.Body.GetProperty("default").ToString());
        foreach (var (file, address, body) in Resources(files).Where(r => r.Address.StartsWith("helm_release.", StringComparison.Ordinal)))
        {
            if (!body.TryGetProperty("repository", out _)) continue;
            var version = body.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
            var m = VarReference().Match(version);
            var resolved = m.Success ? defaults.GetValueOrDefault(m.Groups[1].Value, "") : version;
            if (!ExactVersion().IsMatch(resolved)) yield return $"{file}: {address} chart version '{version}' is not exact";
        }
    }

    /// <summary>
    /// No literal secret: an attribute named like a secret holding a literal (not an expression), or a string that
    /// looks like a key or a private key anywhere in any file.
    /// </summary>
    public static IEnumerable<string> SecretLiterals(IReadOnlyDictionary<string, JsonElement> files)
    {
        foreach (var (file, root) in files)
        foreach (var (path, name, value) in Strings(root, ""))
        {
            var literal = !value.Contains("${", StringComparison.Ordinal);
            if (literal && SecretName().IsMatch(name) && !NotASecret().IsMatch(name) && value.Length > 0)
                yield return $"{file}: {path} = a literal value (secrets come from the database or External Secrets, never from Terraform)";
            if (SecretValue().IsMatch(value)) yield return $"{file}: {path} holds what looks like a credential";
        }
    }

    private static IEnumerable<(string Path, string Name, string Value)> Strings(JsonElement e, string path, string name = "")
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                foreach (var s in Strings(p.Value, path + "." + p.Name, p.Name)) yield return s;
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                foreach (var s in Strings(item, $"{path}[{i++}]", name)) yield return s;
                break;
            case JsonValueKind.String:
                yield return (path, name, e.GetString()!);
                break;
        }
    }

    [GeneratedRegex(@"^\$\{var\.([a-z0-9_]+)\}$")] private static partial Regex VarReference();
    [GeneratedRegex(@"^v?[0-9]+\.[0-9]+\.[0-9]+$")] private static partial Regex ExactVersion();
    [GeneratedRegex(@"(password|secret|token|private_key|access_key|api_key)", RegexOptions.IgnoreCase)] private static partial Regex SecretName();
    // Names that say where a secret is or how it is handled, not what it is.
    [GeneratedRegex(@"(_name|_arn|_source|_ref|manage_master_user_password|description|secret_store|tls_secret)", RegexOptions.IgnoreCase)] private static partial Regex NotASecret();
    [GeneratedRegex(@"(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|ghp_[A-Za-z0-9]{36}|xox[baprs]-[A-Za-z0-9-]+)")] private static partial Regex SecretValue();
}
