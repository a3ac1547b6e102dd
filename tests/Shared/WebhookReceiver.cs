using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LinkTracking.Tests.Shared;

/// <summary>What the receiver does with the n-th request (1-based).</summary>
public enum ReceiverAnswer
{
    Ok,
    Fail,
    Hang,
}

/// <summary>One request as the receiver saw it (<paramref name="Headers"/>: every header, names in lower case), and what it answered.</summary>
public sealed record ReceivedWebhook(int Number, string? Id, string? Timestamp, string? Signature, string Body, ReceiverAnswer Answer, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A webhook receiver in the test process: Kestrel on 127.0.0.1 (a free port) that records every request and answers
/// as <see cref="Behaviour"/> says — 200, 500, or hangs (longer than the sender's timeout).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _count;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Func<int, ReceiverAnswer> Behaviour { get; set; } = _ => ReceiverAnswer.Ok;

    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(10);

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("No server.");
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var number = Interlocked.Increment(ref _count);
        var answer = Behaviour(number);
        _received.Enqueue(new ReceivedWebhook(
            number,
            context.Request.Headers["webhook-id"].FirstOrDefault(),
            context.Request.Headers["webhook-timestamp"].FirstOrDefault(),
            context.Request.Headers["webhook-signature"].FirstOrDefault(),
            body,
            answer,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal)));
        switch (answer)
        {
            case ReceiverAnswer.Hang:
                try
                {
                    await Task.Delay(HangFor, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status200OK;
                break;
            case ReceiverAnswer.Fail:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsync("receiver down", context.RequestAborted);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status200OK;
                break;
        }
    }
}
