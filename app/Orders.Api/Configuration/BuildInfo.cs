using System.Reflection;

namespace Orders.Api.Configuration;

/// <summary>
/// What this build is: the release of the total -> total_cents change it implements, its version string,
/// and the schema versions it can run against. Fixed at build time (-p:AppRelease / -p:AppVersion);
/// tests construct other releases explicitly to exercise the compatibility matrix in one process.
/// </summary>
public sealed record BuildInfo(int Release, string Version)
{
    public const int CompiledRelease =
#if APP_RELEASE_1
        1;
#elif APP_RELEASE_2
        2;
#else
        3;
#endif

    public SchemaRange Schema => SchemaContract.For(Release);

    public static BuildInfo Current { get; } = new(CompiledRelease, ReadVersion());

    public static BuildInfo ForRelease(int release) => new(release, $"1.{release}.0");

    static string ReadVersion()
    {
        var assembly = typeof(BuildInfo).Assembly;
        foreach (var meta in assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
            if (meta.Key == "AppVersion" && !string.IsNullOrWhiteSpace(meta.Value))
                return meta.Value;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
               ?? $"1.{CompiledRelease}.0";
    }
}

/// <summary>Inclusive range of schema versions (see docs/APP.md, "Compatibility matrix").</summary>
public readonly record struct SchemaRange(int Min, int Max)
{
    public bool Contains(int version) => version >= Min && version <= Max;
    public override string ToString() => $"[{Min}..{Max}]";
}

public static class SchemaContract
{
    /// <summary>
    /// Release 1 dual-writes total and total_cents, so it needs the expand (2); it must keep running on the
    /// backfilled schema (3) so a rollback from release 2 works. Release 2 reads total_cents, so it needs the
    /// backfill (3), and still writes total, so it cannot run after the contract (4). Release 3 writes only
    /// total_cents (total is nullable since the expand), so it runs on 3 and 4.
    /// </summary>
    public static SchemaRange For(int release) => release switch
    {
        1 => new SchemaRange(2, 3),
        2 => new SchemaRange(3, 3),
        3 => new SchemaRange(3, 4),
        _ => throw new ArgumentOutOfRangeException(nameof(release), release, "release must be 1, 2 or 3"),
    };
}
