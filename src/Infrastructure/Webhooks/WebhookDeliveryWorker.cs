using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// Sends the outbox (ADR 0016). Claims due rows under a lease (<see cref="IWebhookOutboxClaims"/>: <c>FOR UPDATE SKIP
/// LOCKED</c> on PostgreSQL, a conditional UPDATE of <c>lease_until</c> on SQLite) so several nodes never send one row
/// at the same time; signs
/// each (Standard Webhooks), logs every attempt, retries with exponential backoff and jitter until
/// <see cref="WebhookOptions.RetryPeriod"/> has passed, then gives up. At least once: a crash between the send and
/// the bookkeeping sends the row again, with the same <c>webhook-id</c>.
/// </summary>
public sealed partial class WebhookDeliveryWorker(
    IServiceScopeFactory scopes,
    WebhookHttpClient http,
    IOptions<WebhookOptions> options,
    TimeProvider timeProvider,
    ILogger<WebhookDeliveryWorker> logger) : BackgroundService
{
    private const int MaxLoggedBodyBytes = 512;

    private readonly WebhookOptions _options = options.Value;

    /// <summary>Who holds a lease: this process and this worker.</summary>
    public string Owner { get; } = Truncate($"{Environment.ProcessId}:{Guid.NewGuid():N}:{Environment.MachineName}", WebhookOutboxMessage.MaxLeaseOwnerLength)!;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundRounds.RunAsync(async ct => await DeliverDueAsync(ct) > 0, _options.PollInterval, timeProvider, LogRoundFailed, stoppingToken);

    /// <summary>Claims and sends one batch of due rows; returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        await Task.WhenAll(claimed.Select(m => DeliverAsync(m, cancellationToken)));
        return claimed.Count;
    }

    private async Task<List<WebhookOutboxMessage>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var claims = scope.ServiceProvider.GetRequiredService<IWebhookOutboxClaims>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        return await claims.ClaimAsync(Owner, now, now + _options.Lease, _options.BatchSize, cancellationToken);
    }

    private async Task DeliverAsync(WebhookOutboxMessage claimed, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var secrets = scope.ServiceProvider.GetRequiredService<WebhookSecrets>();
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == claimed.SubscriptionId, cancellationToken);
        if (subscription is null)
        {
            return; // deleted meanwhile: its rows went with it
        }

        var attempt = claimed.Attempts + 1;
        var started = Stopwatch.GetTimestamp();
        var attemptedAt = timeProvider.GetUtcNow().UtcDateTime;
        (bool Ok, int? Status, string? Error) result;
        if (!subscription.IsActive)
        {
            result = (false, null, "The subscription is disabled: " + subscription.DisabledReason);
        }
        else
        {
            result = await SendAsync(claimed, subscription.Url, subscription.ProtectedSecret, secrets, cancellationToken);
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var message = await db.WebhookOutbox.FirstOrDefaultAsync(m => m.Id == claimed.Id && m.LeaseOwner == Owner, cancellationToken);
        if (message is null)
        {
            return; // the lease ran out and another worker took the row over; it keeps the books
        }

        message.Attempts = attempt;
        message.LeaseOwner = null;
        message.LeaseUntil = null;
        string outcome;
        if (result.Ok)
        {
            outcome = "delivered";
            message.Status = WebhookOutboxStatus.Delivered;
            message.CompletedAt = now;
            subscription.RecordSuccess();
        }
        else
        {
            var next = now + RetryDelay(attempt);
            var givingUp = !subscription.IsActive || next > message.CreatedAt + _options.RetryPeriod;
            outcome = givingUp ? "gave_up" : "failed";
            if (givingUp)
            {
                message.Status = WebhookOutboxStatus.Failed;
                message.CompletedAt = now;
            }
            else
            {
                message.NextAttemptAt = next;
            }

            var reason = result.Status is { } status ? $"HTTP {status}" : result.Error ?? "failed";
            if (subscription.RecordFailure(reason, now, _options.DisableAfter))
            {
                LogDisabled(subscription.Id, subscription.DisabledReason);
            }
        }

        db.WebhookDeliveries.Add(new WebhookDeliveryAttempt
        {
            Id = Guid.CreateVersion7(attemptedAt),
            OutboxId = message.Id,
            SubscriptionId = message.SubscriptionId,
            EventId = message.EventId,
            EventType = message.Type,
            Attempt = attempt,
            AttemptedAt = attemptedAt,
            Outcome = outcome,
            StatusCode = result.Status,
            Error = Truncate(result.Error, WebhookDeliveryAttempt.MaxErrorLength),
            DurationMs = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds),
        });
        await db.SaveChangesAsync(cancellationToken);
        if (!subscription.IsActive)
        {
            await db.WebhookOutbox
                .Where(m => m.SubscriptionId == subscription.Id && m.Status == WebhookOutboxStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, WebhookOutboxStatus.Failed).SetProperty(m => m.CompletedAt, now), cancellationToken);
        }
    }

    private async Task<(bool Ok, int? Status, string? Error)> SendAsync(
        WebhookOutboxMessage message, string url, string protectedSecret, WebhookSecrets secrets, CancellationToken cancellationToken)
    {
        string secret;
        try
        {
            secret = secrets.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return (false, null, "The signing secret cannot be decrypted: the Data Protection key ring (DataProtection:KeysDirectory) that protected it is not available.");
        }

        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(message.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", message.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(secret, message.EventId, timestamp, message.Payload));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (true, status, null);
            }

            return (false, status, await ReadStartAsync(response, timeout.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, null, $"Timed out after {_options.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException exception)
        {
            return (false, null, Describe(exception));
        }
    }

    /// <summary>At most the first <see cref="MaxLoggedBodyBytes"/> bytes of an error answer, for the log.</summary>
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxLoggedBodyBytes];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }

            return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Exponential: the initial delay doubled per attempt, capped, ±25 % jitter so failed receivers are not hit in step.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var exponential = _options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, _options.MaxRetryDelay.TotalMilliseconds);
        var jitter = 0.75 + (Random.Shared.NextDouble() * 0.5);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    /// <summary>The messages of an exception and its causes: the connect step's refusal is an inner exception.</summary>
    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(" <- ", messages);
    }

    private static string? Truncate(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook delivery round failed; retrying")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {Id} disabled: {Reason}")]
    private partial void LogDisabled(Guid id, string? reason);
}
