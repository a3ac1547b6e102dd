using System.Text.Json;
using Asp.Versioning;
using LinkTracking.Application.Common.Behaviours;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.WebApi.Dashboard;
using LinkTracking.WebApi.Health;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi;

public static class DependencyInjection
{
    public const string ReadyTag = "ready";

    /// <summary>MVC with snake_case JSON, versioning, problem details, API key auth, health and OpenAPI.</summary>
    public static IServiceCollection AddWebApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(MappingProfile)];
            options.PipelineBehaviors = [typeof(ValidationBehaviour<,>), typeof(RecordedClicksBehaviour<,>)];
        });

        services.AddControllers(o =>
            {
                // Bodies are JSON only. Without the form value providers a form post is a 415 problem; with them, a
                // jQuery-style form key such as "a[" made model binding throw (500).
                o.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
                o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
                o.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
            })
            .AddJsonOptions(o =>
            {
                o.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
                o.JsonSerializerOptions.PropertyNameCaseInsensitive = false;
                o.JsonSerializerOptions.MaxDepth = 32;
                o.JsonSerializerOptions.Converters.Add(new NulFreeStringConverter());
            })
            .ConfigureApiBehaviorOptions(o => o.InvalidModelStateResponseFactory = ModelStateProblems.Create);
        services.AddSingleton<Microsoft.AspNetCore.Mvc.Infrastructure.IClientErrorFactory, ClientErrorProblems>();

        services.AddApiVersioning(o =>
            {
                o.DefaultApiVersion = new ApiVersion(1, 0);
                o.AssumeDefaultVersionWhenUnspecified = true;
                // Reported by the API controllers' base class ([ReportApiVersions]), not globally: a global filter would
                // add its async frames to every redirect for nothing.
                o.ReportApiVersions = false;
                o.UnsupportedApiVersionStatusCode = StatusCodes.Status400BadRequest;
                o.ApiVersionReader = ApiVersionReader.Combine(new UrlSegmentApiVersionReader(), new QueryStringApiVersionReader("api-version"));
            })
            .AddMvc()
            .AddApiExplorer(o =>
            {
                o.GroupNameFormat = "'v'VVV";
                o.SubstituteApiVersionInUrl = true;
            });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
            // The framework names its own trace id with the JSON naming policy (snake_case here, for the OpenAPI
            // document's sake); the contract's name is traceId, once.
            context.ProblemDetails.Extensions.Remove("trace_id");
        });
        // After the framework's writers (registered above), so that it only writes what they would not: any Accept.
        services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(o => o.AddScopePolicies());
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddLinkTrackingRateLimits(configuration);
        services.AddDashboard(configuration);

        services.AddHttpContextAccessor();
        services.AddScoped<ILinkUrls, HttpLinkUrls>();
        services.AddSingleton<BrandedHosts>();
        services.Configure<RouteOptions>(o =>
        {
            o.ConstraintMap[BrandedShortPathConstraint.Name] = typeof(BrandedShortPathConstraint);
            o.ConstraintMap[BrandedRootCodeConstraint.Name] = typeof(BrandedRootCodeConstraint);
        });

        services.AddSingleton<DatabaseStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());
        var health = services.AddHealthChecks()
            .AddDbContextCheck<LinkTrackingDbContext>("database", tags: [ReadyTag])
            .AddCheck<DatabaseStartup>("database_startup", tags: [ReadyTag])
            .AddCheck<CacheHealthCheck>("cache", tags: [ReadyTag])
            .AddCheck<ClickPipelineHealthCheck>("click_queue")
            .AddCheck<EnrichmentHealthCheck>("enrichment");
        services.AddGracefulDrain(configuration, health, ReadyTag);

        services.AddLinkTrackingOpenApi();
        services.AddLinkTrackingTelemetry(configuration);

        services.AddValidatedOptions<NetworkOptions, NetworkOptionsValidator>(configuration.GetSection(NetworkOptions.SectionName));
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>().Configure<IOptions<NetworkOptions>>((k, network) =>
        {
            if (network.Value.MaxConcurrentConnections is { } limit)
            {
                k.Limits.MaxConcurrentConnections = limit;
            }
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((o, network) =>
        {
            // X-Forwarded-Host too: a branded domain is recognised by the host the client asked for (BrandedHosts).
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            network.Value.ApplyTo(o);
        });

        return services;
    }
}
