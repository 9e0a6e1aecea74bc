using Orders.Api.Configuration;

namespace Orders.Api.Tests.Configuration;

public sealed class BuildInfoTests
{
    [Fact]
    public void The_compiled_release_and_version_come_from_the_msbuild_properties()
    {
        Assert.InRange(BuildInfo.Current.Release, 1, 3);
        Assert.Equal(BuildInfo.CompiledRelease, BuildInfo.Current.Release);
        Assert.False(string.IsNullOrWhiteSpace(BuildInfo.Current.Version));
        Assert.Equal("1.2.0", BuildInfo.ForRelease(2).Version);
    }
}
