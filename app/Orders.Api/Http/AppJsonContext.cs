using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Orders.Api.Commands;
using Orders.Api.Flags;
using Orders.Api.Health;
using Orders.Api.Migrations;
using Orders.Api.Orders;

namespace Orders.Api.Http;

/// <summary>
/// Source-generated JSON for every type the app reads or writes: the image is published trimmed, and
/// reflection-based serialization would fail at run time there, not at build time.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    // Web defaults accept "12.50" for a number; money must be a JSON number, nothing else.
    NumberHandling = JsonNumberHandling.Strict,
    WriteIndented = false)]
[JsonSerializable(typeof(CreateOrderRequest))]
[JsonSerializable(typeof(UpdateStatusRequest))]
[JsonSerializable(typeof(OrderResponse))]
[JsonSerializable(typeof(OrderPage))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(LivenessReport))]
[JsonSerializable(typeof(SchemaContractOutput))]
[JsonSerializable(typeof(MigrationStatusReport))]
[JsonSerializable(typeof(MigrationResult))]
[JsonSerializable(typeof(FlagsDocument))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
public sealed partial class AppJsonContext : JsonSerializerContext;
