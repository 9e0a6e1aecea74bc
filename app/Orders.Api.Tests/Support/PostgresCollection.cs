namespace Orders.Api.Tests.Support;

/// <summary>One PostgreSQL server for every test class in the collection; each class creates its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

public sealed partial class PostgresServer : IAsyncLifetime
{
    public async Task<TestDatabase> CreateDatabaseAsync() => new(this, await CreateDatabaseNameAsync());
}
