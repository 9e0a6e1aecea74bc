using System.Text.Json;
using Orders.Api.Configuration;
using Orders.Api.Http;

namespace Orders.Api.Commands;

public sealed record SchemaContractOutput(string Version, int SchemaMin, int SchemaMax);

/// <summary>`Orders.Api schema-contract`: lets the pipeline read an image's contract without a database.</summary>
public static class SchemaContractCommand
{
    public static int Run(BuildInfo build)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(
            new SchemaContractOutput(build.Version, build.Schema.Min, build.Schema.Max), AppJsonContext.Default.SchemaContractOutput));
        return 0;
    }
}
