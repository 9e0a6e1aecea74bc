using System.Collections;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Config;

/// <summary>
/// YamlDotNet reports a bad value by line and column only ("The input string 'three' was not in a correct
/// format."). People fix files by key, so this finds the dotted key at that position and what it expects.
/// </summary>
public static class YamlKeyPath
{
    /// <summary>The dotted path (e.g. <c>strategy.steps[2]</c>) of the key or value that starts at <paramref name="at"/>, or null.</summary>
    public static string? At(string yaml, Mark at)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count == 0 ? null : Find(stream.Documents[0].RootNode, "", at);
        }
        catch (YamlException) { return null; }
    }

    /// <summary>The 1-based line of the key at a dotted path (e.g. <c>gates.denyWindows[0].from</c>), or null when the file does not set it.</summary>
    public static long? LineOf(string yaml, string path)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0) return null;
            YamlNode node = stream.Documents[0].RootNode;
            long? line = null;
            foreach (var part in path.Split('.'))
            {
                var name = part.Split('[')[0];
                if (node is not YamlMappingNode map) return null;
                var entry = map.Children.FirstOrDefault(p => p.Key.ToString() == name);
                if (entry.Key is null) return null;
                (node, line) = (entry.Value, entry.Key.Start.Line);
                foreach (var index in part.Split('[').Skip(1).Select(x => x.TrimEnd(']')))
                {
                    if (node is not YamlSequenceNode seq || !int.TryParse(index, out var n) || n >= seq.Children.Count) return line;
                    node = seq.Children[n];
                    line = node.Start.Line;
                }
            }
            return line;
        }
        catch (YamlException) { return null; }
    }

    private static string? Find(YamlNode node, string path, Mark at)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var keyPath = path.Length == 0 ? key.ToString() : path + "." + key;
                    if (Same(key.Start, at) || Same(value.Start, at)) return keyPath;
                    if (Find(value, keyPath, at) is { } inner) return inner;
                }
                return null;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var itemPath = $"{path}[{i}]";
                    if (Same(seq.Children[i].Start, at)) return itemPath;
                    if (Find(seq.Children[i], itemPath, at) is { } inner) return inner;
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Same(Mark a, Mark b) => a.Line == b.Line && a.Column == b.Column;

    /// <summary>What the configuration model expects at a dotted path ("a number", "one of: rolling, blue-green, canary"), or null.</summary>
    public static string? Expected(string path)
    {
        var type = typeof(EnvironmentConfig);
        foreach (var raw in path.Split('.'))
        {
            var name = raw.Split('[')[0];
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null) return null;
            type = property.PropertyType;
            // Each [i] steps into the element type of a list.
            for (var n = raw.Count(c => c == '['); n > 0 && ElementType(type) is { } element; n--) type = element;
        }
        return Describe(type);
    }

    private static Type? ElementType(Type t) =>
        t.IsGenericType && typeof(IEnumerable).IsAssignableFrom(t) ? t.GetGenericArguments()[0] : null;

    private static string Describe(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t.IsEnum) return "one of: " + string.Join(", ", Enum.GetNames(t).Select(Hyphenate));
        if (t == typeof(int)) return "a whole number";
        if (t == typeof(double)) return "a number";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(string)) return "a string";
        if (ElementType(t) is { } e && t.GetGenericArguments().Length == 1) return "a list of " + Plural(Describe(e));
        if (t.IsGenericType) return "a mapping";
        return "a mapping with the keys of " + t.Name;
    }

    private static string Plural(string s) => s.StartsWith("one of", StringComparison.Ordinal) ? "values " + s : s.StartsWith("a ", StringComparison.Ordinal) ? s[2..] + "s" : s;

    /// <summary>The spelling the configuration uses for an enum member (BlueGreen → blue-green, Friday → friday).</summary>
    public static string Hyphenate(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
