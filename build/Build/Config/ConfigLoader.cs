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

    public static EnvironmentConfig Load(string environmentsDir, string name)
    {
        environmentsDir = System.Environment.GetEnvironmentVariable(EnvironmentsDirVariable) is { Length: > 0 } d ? d : environmentsDir;
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
        EnvironmentConfig config;
        try
        {
            config = Deserializer.Deserialize<EnvironmentConfig>(yaml)
                ?? throw new ConfigException($"{file}: the file is empty.");
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            throw new ConfigException($"{file}: line {e.Start.Line}, column {e.Start.Column}: {Describe(inner)}");
        }
        config.SourceFile = file;
        var errors = ConfigValidator.Validate(config, expectedName);
        if (errors.Count > 0)
            throw new ConfigException($"{file}: invalid configuration:\n" + string.Join("\n", errors.Select(e => "  - " + e)));
        return config;
    }

    private static string Describe(string message) =>
        message.Contains("not found on type", StringComparison.Ordinal)
            ? "unknown key " + message[(message.IndexOf('\'') is var i and >= 0 ? i : 0)..].Split(" not found")[0]
            : message;
}
