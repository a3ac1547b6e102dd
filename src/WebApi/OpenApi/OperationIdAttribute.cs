namespace LinkTracking.WebApi.OpenApi;

/// <summary>
/// The <c>operationId</c> of an action in the OpenAPI document: a verb, so that generated clients read
/// <c>CreateLinkAsync</c>, not <c>ApiV1LinkTrackingCreatePostAsync</c>. An attribute and not <c>[EndpointName]</c>:
/// every action has two routes (versioned and alias), and an endpoint name must be unique per route.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class OperationIdAttribute(string id) : Attribute
{
    public string Id { get; } = id;
}
