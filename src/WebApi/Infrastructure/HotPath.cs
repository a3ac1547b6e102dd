using Asp.Versioning;
using Microsoft.AspNetCore.Authorization;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// Marks an anonymous endpoint of the redirect's hot path (<c>/track/{tracking_id}</c>, <c>/track/health</c>). Such a
/// request still runs through MVC, forwarded headers, problem details, the body limit and its rate-limit policy, but
/// skips what cannot apply to it: API-key authentication, authorization (it allows anonymous access), the antiforgery
/// check (no form) and API versioning's routing policy (it is version-neutral). See <see cref="HotPath"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class HotPathAttribute : Attribute;

/// <summary>How the pipeline and the routes treat <see cref="HotPathAttribute"/> endpoints.</summary>
public static class HotPath
{
    /// <summary>Whether the request's endpoint (routing has run) is on the hot path.</summary>
    public static bool IsHotPath(this HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<HotPathAttribute>() is not null;

    /// <summary>
    /// Runs the middleware <paramref name="configure"/> adds for every request except the hot path's, then rejoins the
    /// main pipeline (as <c>UseWhen</c> does). The markers the branch's <c>Use…</c> calls leave (authentication,
    /// authorization, antiforgery registered) are copied to the application, or <c>WebApplication</c> would add that
    /// middleware a second time, in front of everything, hot path included.
    /// </summary>
    public static IApplicationBuilder UseUnlessHotPath(this IApplicationBuilder app, Action<IApplicationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(configure);
        var branch = app.New();
        configure(branch);
        foreach (var (key, value) in branch.Properties)
        {
            app.Properties.TryAdd(key, value);
        }

        return app.Use(main =>
        {
            branch.Run(main);
            var secured = branch.Build();
            return context => context.IsHotPath() ? main(context) : secured(context);
        });
    }

    /// <summary>
    /// Takes API versioning's metadata off the hot path's endpoints, so that its routing policy (which reads the
    /// requested version and collates the candidates' versions on every request it applies to) skips their routes.
    /// The actions stay version-neutral for the API explorer, which reads the action descriptors, not the endpoints.
    /// Guards the marker too: a hot-path endpoint that asked for authorization would be served without it.
    /// </summary>
    public static TBuilder WithHotPathConventions<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            if (!endpoint.Metadata.Any(m => m is HotPathAttribute))
            {
                return;
            }

            if (endpoint.Metadata.Any(m => m is IAuthorizeData) || !endpoint.Metadata.Any(m => m is IAllowAnonymous))
            {
                throw new InvalidOperationException($"Hot-path endpoint '{endpoint.DisplayName}' must allow anonymous access and require no authorization.");
            }

            for (var i = endpoint.Metadata.Count - 1; i >= 0; i--)
            {
                if (endpoint.Metadata[i] is ApiVersionMetadata)
                {
                    endpoint.Metadata.RemoveAt(i);
                }
            }
        });
        return builder;
    }
}
