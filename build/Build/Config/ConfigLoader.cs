using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Pipeline.Config;

public sealed class ConfigException(string message) : Exception(message);

/// <summary>Reads build/environments/&lt;env&gt;.yaml strictly: unknown keys, bad values and unsafe settings are errors naming the file and key.</summary>
public static class ConfigLoader
{
    /// <summary>Overrides the folder environments are read from (tests point it at generated files).</summary>
    public const string EnvironmentsDirVariable = "RELEASE_ENVIRONMENTS_DIR";

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithEnumNamingConvention(HyphenatedNamingConvention.Instance)
        .Build();

    public static EnvironmentConfig Load(string environmentsDir, string name, bool honourOverride = true)
    {
        if (honourOverride && System.Environment.GetEnvironmentVariable(EnvironmentsDirVariable) is { Length: > 0 } d) environmentsDir = d;
        var file = Path.Combine(environmentsDir, name + ".yaml");
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z][a-z0-9-]{0,30}$") || !File.Exists(file))
        {
            var known = Directory.Exists(environmentsDir)
                ? Directory.GetFiles(environmentsDir, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order().ToArray()
                : [];
            throw new ConfigException($"Unknown environment '{name}': no {file}. Known: {string.Join(", ", known)}.");
        }
        return Parse(File.ReadAllText(file), file, name);
    }

    public static EnvironmentConfig Parse(string yaml, string file, string expectedName)
    {
        EnvironmentConfig? parsed;
        try
        {
            parsed = Deserializer.Deserialize<EnvironmentConfig?>(yaml);
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{file}: line {e.Start.Line}, column {e.Start.Column}: {Describe(e, yaml)}");
        }
        var config = parsed ?? throw new ConfigException($"{file}: the file is empty.");
        config.SourceFile = file;
        // The canary gate splits the release's false-rollback budget over the steps it judges (every step but 100 %).
        config.Gates.Canary.JudgedSteps = config.Strategy.Steps.Count(w => w < 100);
        var errors = ConfigValidator.Validate(config, expectedName);
        if (errors.Count > 0)
            throw new ConfigException($"{file}: invalid configuration:\n" + string.Join("\n", errors.Select(e => "  - " + WithLine(yaml, e))));
        return config;
    }

    /// <summary>"line 17: strategy.previewHeader: …" when the error's key is in the file (people fix files by line and key).</summary>
    private static string WithLine(string yaml, string error)
    {
        var key = error.Split(": ", 2)[0].Split('/')[0];
        return YamlKeyPath.LineOf(yaml, key) is { } line ? $"line {line}: {error}" : error;
    }

    // YamlDotNet's own texts ("Property 'replicaz' not found on type 'Pipeline.Config.EnvironmentConfig'.",
    // "The input string 'three' was not in a correct format.") name neither the full key nor what is allowed.
    private static string Describe(YamlException e, string yaml)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var path = YamlKeyPath.At(yaml, e.Start);
        if (message.Contains("not found on type", StringComparison.Ordinal))
        {
            var key = path ?? message[(message.IndexOf('\'') is var i and >= 0 ? i : 0)..].Split(" not found")[0].Trim('\'');
            var parent = key.Contains('.') ? key[..key.LastIndexOf('.')] : null;
            var allowed = AllowedKeys(parent);
            return $"unknown key '{key}'" + (allowed.Length > 0 ? $" (allowed{(parent is null ? "" : " under '" + parent + "'")}: {string.Join(", ", allowed)})" : "");
        }
        if (path is null) return message;
        // The cast message spells out generic CLR type names: noise to someone editing YAML.
        if (message.StartsWith("Invalid cast", StringComparison.Ordinal)) message = "wrong kind of value";
        return YamlKeyPath.Expected(path) is { } expected
            ? $"key '{path}': invalid value, expected {expected} ({message})"
            : $"key '{path}': {message}";
    }

    private static string[] AllowedKeys(string? parent)
    {
        var type = typeof(EnvironmentConfig);
        foreach (var name in (parent ?? "").Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = type.GetProperty(name.Split('[')[0], System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (p is null) return [];
            type = p.PropertyType.IsGenericType ? p.PropertyType.GetGenericArguments()[^1] : p.PropertyType;
        }
        return type.GetProperties()
            .Where(p => p.GetCustomAttributes(typeof(YamlIgnoreAttribute), false).Length == 0)
            .Select(p => CamelCaseNamingConvention.Instance.Apply(p.Name))
            .ToArray();
    }
}
