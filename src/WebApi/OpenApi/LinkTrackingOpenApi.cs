using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace LinkTracking.WebApi.OpenApi;

/// <summary>
/// The served <c>/openapi/v1.json</c>: snake_case schemas as on the wire, an <c>apiKey</c> scheme applied per
/// operation with its scope, verb operation ids, each operation once (the unversioned alias is explained, not
/// repeated), problem responses where they happen and examples for the main request bodies. Checked by Redocly's
/// recommended rules in <c>./test.sh</c> and compared with <c>docs/openapi/v1.json</c> by a functional test.
/// </summary>
public static class LinkTrackingOpenApi
{
    public const string DocumentName = "v1";
    public const string SecuritySchemeName = "apiKey";
    private const string ProblemJson = "application/problem+json";
    private const string VersionedPrefix = "api/v1/link-tracking/";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Links"] = "Creating, reading, changing and switching tracked links (expiry, human click limits, history, QR codes), and the standard link package of an application.",
        ["OrphanVisits"] = "Requests for unknown or malformed tracking ids (capped), per day.",
        ["Clicks"] = "Clicks seen by partners' redirectors, one at a time or up to 1000 in a batch.",
        ["Analytics"] = "Human clicks by default (include_bots=true adds the rest): per link, per job, per application, and the report.",
        ["Outcomes"] = "What happened to an application after it was sent (idempotent by event_id), and its journey: sent, clicks, outcomes, milestones.",
        ["ClickExport"] = "Every click as streamed CSV or NDJSON.",
        ["Classification"] = "Corrections of the classifier's verdicts: a user's label on a click, and the operator rules labels make for an origin (links:write).",
        ["ApiKeys"] = "Issuing, listing and revoking API keys (admin).",
        ["Privacy"] = "Erasure of clicks (GDPR, admin).",
        ["Track"] = "The public redirect: no key; each request is a click.",
        ["Webhooks"] = "Signed event subscriptions (Standard Webhooks, at least once) and their delivery log (admin).",
    };

    private static readonly Dictionary<string, string> ScopeTexts = new(StringComparer.Ordinal)
    {
        [ScopePolicies.LinksWrite] = "`links:write`",
        [ScopePolicies.ClicksWrite] = "`clicks:write`",
        [ScopePolicies.AnalyticsRead] = "`analytics:read`",
        [ScopePolicies.Admin] = "`admin`",
        [ScopePolicies.LinkRead] = "`analytics:read` or `clicks:write`",
        [ScopePolicies.LinkHistoryRead] = "`links:write` or `analytics:read`",
    };

    public static IServiceCollection AddLinkTrackingOpenApi(this IServiceCollection services)
    {
        // The document's schemas come from the minimal-API JSON options, not MVC's: give them the wire's naming.
        // Numbers are documented as numbers (the server also reads numeric strings; clients should not send them).
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = ShouldInclude;
            o.AddDocumentTransformer((document, _, _) =>
            {
                DescribeDocument(document);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                DescribeOperation(operation, context);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(Export.ClickExportOpenApi.RemoveJsonFromExport);
        });
        return services;
    }

    /// <summary>Versioned API routes and the redirect's GET; not the unversioned alias, not HEAD/OPTIONS of the redirect.</summary>
    private static bool ShouldInclude(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description)
    {
        var path = description.RelativePath ?? string.Empty;
        var inGroup = description.GroupName is null || string.Equals(description.GroupName, DocumentName, StringComparison.OrdinalIgnoreCase);
        var isApi = path.StartsWith(VersionedPrefix, StringComparison.Ordinal);
        var isRedirect = path.StartsWith("track/", StringComparison.Ordinal) && string.Equals(description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase);
        return inGroup && (isApi || isRedirect);
    }

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info.Title = "LinkTracking API";
        document.Info.Version = "1.0";
        document.Info.Description =
            "Tracked links and click analytics for job applications.\n\n" +
            "**Authentication**: send an API key in the `X-API-Key` header. Each operation states the scope it needs " +
            "(`links:write`, `clicks:write`, `analytics:read` or `admin`; `admin` implies every scope). A missing or " +
            "unknown key is 401, a key without the scope 403. The redirect (`/track/{trackingId}`) and the health routes " +
            "(`/track/health`, `/health/live`, `/health/ready`) need no key.\n\n" +
            "**Versions**: every API route listed under `/api/v1/link-tracking/...` is also served unversioned at " +
            "`/api/link-tracking/...`, which means the current default version (1.0); the alias is not listed twice. " +
            "An unsupported version (`/api/v9/...` or `api-version=9.0`) is 400. Responses carry `api-supported-versions`.\n\n" +
            "**Errors** are RFC 9457 problem documents (`application/problem+json`) with `type`, `title`, `status`, " +
            "`detail` and `traceId`; validation failures are 400 with `errors` keyed by the snake_case field name. " +
            "Bodies over 64 KiB are 413 (1 MiB for `record-clicks`). 429 and 503 carry `Retry-After`.\n\n" +
            "JSON field names are snake_case; timestamps are ISO 8601 UTC with `Z`.";

        foreach (var server in document.Servers ?? [])
        {
            var url = server.Url?.TrimEnd('/');
            server.Url = string.IsNullOrEmpty(url) ? "/" : url;
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key issued with `POST /api/v1/link-tracking/api-keys` or the `api-keys create` command.",
        };

        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var tag in document.Tags)
        {
            if (tag.Name is not null && TagDescriptions.TryGetValue(tag.Name, out var description))
            {
                tag.Description = description;
            }
        }
    }

    private static void DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var action = context.Description.ActionDescriptor;
        if (action is ControllerActionDescriptor controllerAction
            && controllerAction.MethodInfo.GetCustomAttributes(typeof(OperationIdAttribute), false) is [OperationIdAttribute id])
        {
            operation.OperationId = id.Id;
        }

        operation.Summary ??= FirstSentence(operation.Description);
        operation.Responses ??= new OpenApiResponses();
        var metadata = action.EndpointMetadata;
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        if (metadata.OfType<IAllowAnonymous>().Any() || policies.Count == 0)
        {
            operation.Security = [];
        }
        else
        {
            var scopes = string.Join(" and ", policies.Select(p => ScopeTexts.GetValueOrDefault(p, $"`{p}`")));
            operation.Description = $"{operation.Description}\n\n**Scope**: {scopes} (or `admin`).".TrimStart();
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] }];
            AddProblem(operation, "400", "Invalid request, or an unsupported API version.");
            AddProblem(operation, "401", "The X-API-Key header is missing, or the key is unknown or revoked.");
            AddProblem(operation, "403", "The API key lacks the scope this operation needs.");
        }

        if (context.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body))
        {
            AddProblem(operation, "413", "The request body is over its limit (64 KiB; 1 MiB for record-clicks).");
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            AddProblem(operation, "429", "Over the rate limit; retry after Retry-After seconds.");
        }

        foreach (var response in operation.Responses.Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5')))
        {
            if (response.Value is OpenApiResponse problem && problem.Content is { } content)
            {
                content.Remove("application/json");
            }
        }

        if (operation.RequestBody?.Content is { } bodies)
        {
            // MVC also accepts text/json and application/*+json; listing them makes every generator pick among three.
            bodies.Remove("text/json");
            bodies.Remove("application/*+json");
        }

        AddRequestExample(operation);
        AddResponseExample(operation);
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails") },
            },
        };
    }

    private static string? FirstSentence(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? text : text[..(end + 1)]).Trim();
    }

    /// <summary>Examples of the main answers, so a reader sees the shape (and the classification fields) at once.</summary>
    private static void AddResponseExample(OpenApiOperation operation)
    {
        var (status, example) = operation.OperationId switch
        {
            "createLink" => ("201", """{"tracking_id":"lt_a1b2c3d4e5f6","redirect_url":"https://links.example.com/track/lt_a1b2c3d4e5f6","original_url":"https://jobs.example.com/postings/4711","link_function":"Job_Posting","link_type":"job_posting","job_id":"6f1c2b9e-3d4a-4f5b-8c7d-1e2f3a4b5c6d","application_id":"0b7e5a7c-8a3d-4c1e-9f2b-5d6e7f8a9b0c","description":"Posting on the company site","created_by":"orchestrator","created_at":"2025-07-27T08:55:00Z","is_active":true,"sent_at":"2025-07-27T09:00:00Z"}"""),
            "createApplicationLinks" => ("201", """{"links":{"LinkedIn":"https://links.example.com/track/lt_k3j4h5g6f7d8","Job_Posting":"https://links.example.com/track/lt_a1b2c3d4e5f6"},"decoy_url":"https://links.example.com/track/lt_z9y8x7w6v5u4"}"""),
            "recordClick" => ("201", """{"click_id":"0198f3a2-6c1e-8b4d-9e2f-3a4b5c6d7e8f","tracking_id":"lt_a1b2c3d4e5f6","clicked_at":"2025-07-27T21:15:30Z","click_source":"linkedin"}"""),
            "getApplicationSummary" => ("200", """{"application_id":"0b7e5a7c-8a3d-4c1e-9f2b-5d6e7f8a9b0c","total_links":2,"total_clicks":1,"unique_sessions":1,"link_functions":{"Job_Posting":{"links":1,"clicks":0,"unique_sessions":0,"last_click":null},"LinkedIn":{"links":1,"clicks":1,"unique_sessions":1,"last_click":"2025-07-27T09:12:40Z"}},"clicks_by_category":{"human":1,"scanner":2,"crawler":0,"preview":0,"monitor":0}}"""),
            _ => (null, null),
        };
        if (status is not null
            && operation.Responses?.TryGetValue(status, out var response) == true
            && response.Content?.TryGetValue("application/json", out var json) == true)
        {
            json.Example = JsonNode.Parse(example!);
        }
    }

    private static void AddRequestExample(OpenApiOperation operation)
    {
        var example = operation.OperationId switch
        {
            "createLink" => """{"original_url":"https://jobs.example.com/postings/4711","link_function":"Job_Posting","link_type":"job_posting","job_id":"6f1c2b9e-3d4a-4f5b-8c7d-1e2f3a4b5c6d","application_id":"0b7e5a7c-8a3d-4c1e-9f2b-5d6e7f8a9b0c","description":"Posting on the company site","created_by":"orchestrator","sent_at":"2025-07-27T09:00:00Z"}""",
            "createApplicationLinks" => """{"job_id":"6f1c2b9e-3d4a-4f5b-8c7d-1e2f3a4b5c6d","job_data":{"company_website":"https://www.example.com","apply_url":"https://jobs.example.com/apply/4711","job_url":"https://jobs.example.com/postings/4711"},"extra_links":[{"link_function":"Resume","original_url":"https://files.example.com/resume.pdf","link_type":"document"}],"sent_at":"2025-07-27T09:00:00Z","decoy":true}""",
            "recordClick" => """{"tracking_id":"lt_a1b2c3d4e5f6","clicked_at":"2025-07-27T21:15:30Z","ip_address":"203.0.113.7","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36","referrer_url":"https://www.linkedin.com/feed/","session_id":"s-81f2","event_id":"evt-0001","headers":{"accept":"text/html,application/xhtml+xml","accept-language":"en-GB,en;q=0.9","sec-fetch-mode":"navigate"}}""",
            "recordClicks" => """{"clicks":[{"tracking_id":"lt_a1b2c3d4e5f6","clicked_at":"2025-07-27T21:15:30Z","ip_address":"203.0.113.7","referrer_url":"https://mail.google.com/"},{"tracking_id":"lt_q9w8e7r6t5y4","event_id":"evt-0002"}]}""",
            "createApiKey" => """{"name":"orchestrator","scopes":["links:write","analytics:read"]}""",
            _ => null,
        };
        if (example is not null && operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var json))
        {
            json.Example = JsonNode.Parse(example);
        }
    }
}
