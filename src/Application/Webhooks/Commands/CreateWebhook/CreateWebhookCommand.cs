using Mediator;

namespace LinkTracking.Application.Webhooks.Commands.CreateWebhook;

/// <summary>Subscribes a URL to events, optionally only those of one job and/or application.</summary>
public sealed record CreateWebhookCommand(string? Url, IReadOnlyList<string>? Events, Guid? JobId, Guid? ApplicationId) : ICommand<CreatedWebhookDto>;
