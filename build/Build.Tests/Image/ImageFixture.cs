using Pipeline.Image;
using Pipeline.Image.Scan;
using Pipeline.Records;

namespace Pipeline.Tests.Image;

/// <summary>
/// Builds the base and app image twice from clean (separate artifacts dirs and separate containers storages),
/// pushes both to the environment's own registry, and scans the first: every image test shares this work.
/// </summary>
public sealed class ImageFixture : IDisposable
{
    public ImageFixture()
    {
        Env = new IsolatedImageEnvironment(Directory.CreateTempSubdirectory("it-image-").FullName);
        First = Env.CreateContext("a");
        Second = Env.CreateContext("b");
        try
        {
            FirstImage = ImageReleaser.Build(First, 3);
            FirstBaseDigest = First.Record.Facts["image.base.digest"];
            FirstPushed = ImageReleaser.Push(First, FirstImage);
            FirstImage = First.AppImage!;
            SecondImage = ImageReleaser.Build(Second, 3);
            SecondBaseDigest = Second.Record.Facts["image.base.digest"];
            SecondPushed = ImageReleaser.Push(Second, SecondImage);
            CleanScan = ImageScanner.Scan(First, FirstImage);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IsolatedImageEnvironment Env { get; }
    public BuildContext First { get; }
    public BuildContext Second { get; }
    public BuiltImage FirstImage { get; } = null!;
    public BuiltImage SecondImage { get; } = null!;
    public string FirstBaseDigest { get; } = "";
    public string SecondBaseDigest { get; } = "";
    public string FirstPushed { get; } = "";
    public string SecondPushed { get; } = "";
    public IReadOnlyList<GateVerdict> CleanScan { get; } = [];

    public void Dispose()
    {
        LocalRegistry.Stop(First);
        ((StorageRunner)First.Runner).Reset();
        ((StorageRunner)Second.Runner).Reset();
        try { Directory.Delete(Env.Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ImageCollection : ICollectionFixture<ImageFixture>
{
    public const string Name = "image";
}
