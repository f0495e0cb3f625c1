using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the node's SQLite database (configuration section <c>Storage</c>) and a readiness check on it.
    /// The file is created and migrated by <see cref="PrepareDatabase"/> at start-up, before the node serves.
    /// </summary>
    public static IServiceCollection AddSqliteStore(
        this IServiceCollection services, IConfiguration configuration, MigrationSet migrations, Action<StorageOptions>? defaults = null)
    {
        DapperTypeHandlers.Register();
        var builder = services.AddOptions<StorageOptions>();
        if (defaults is not null) builder.Configure(defaults);
        builder.Bind(configuration.GetSection(StorageOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DatabasePath), "Storage:DatabasePath is required.")
            .ValidateOnStart();
        services.AddSingleton(migrations);
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddHealthChecks().AddCheck<SqliteHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>Creates, switches to WAL and migrates the database; logs what it applied.</summary>
    public static SqliteDatabase PrepareDatabase(this IServiceProvider services)
    {
        var db = services.GetRequiredService<SqliteDatabase>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Kiosk.Storage");
        var applied = db.Prepare(services.GetRequiredService<MigrationSet>(), time);
        logger.LogInformation("Database {DatabasePath} ready at schema version {SchemaVersion} ({MigrationCount} migrations)",
            db.Path, applied.Count == 0 ? 0 : applied[^1].Version, applied.Count);
        return db;
    }
}

/// <summary>Ready when the database answers a query and its schema is recorded.</summary>
public sealed class SqliteHealthCheck(SqliteDatabase db) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = db.Open();
            var version = connection.ExecuteScalar<long?>("SELECT MAX(version) FROM schema_migrations");
            return Task.FromResult(version is null
                ? HealthCheckResult.Unhealthy("No migrations are recorded.")
                : HealthCheckResult.Healthy($"schema {version}"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The database does not answer.", ex));
        }
    }
}
