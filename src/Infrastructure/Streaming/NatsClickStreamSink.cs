using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace LinkTracking.Infrastructure.Streaming;

/// <summary>
/// The click stream's NATS JetStream sink: one connection (the client reconnects by itself), the stream created at the
/// first round when missing, every message published with <c>Nats-Msg-Id</c> and its acknowledgement awaited (ADR 0024).
/// </summary>
public sealed partial class NatsClickStreamSink(IOptions<NatsStreamOptions> options, ILoggerFactory loggerFactory) : IClickStreamSink, IAsyncDisposable
{
    /// <summary>The header JetStream de-duplicates by.</summary>
    public const string MsgIdHeader = "Nats-Msg-Id";

    private readonly NatsStreamOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger<NatsClickStreamSink>();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NatsConnection? _connection;
    private NatsJSContext? _jetStream;
    private volatile bool _ready;

    public string Name => "nats";

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            _connection ??= new NatsConnection(new NatsOpts
            {
                Url = _options.Url!,
                Name = "linktracking",
                LoggerFactory = loggerFactory,
                RequestTimeout = _options.PublishTimeout,
                // A publish while disconnected fails after this instead of waiting for the reconnection: the round retries.
                PublishTimeoutOnDisconnected = true,
                CommandTimeout = _options.PublishTimeout,
                ConnectTimeout = _options.PublishTimeout,
            });
            if (_connection.ConnectionState == NatsConnectionState.Closed)
            {
                // Only a connection that never opened (or gave up) is connected here: an open one reconnects by itself,
                // and ConnectAsync would wait for that without end. A server that is not there fails the round in time.
                await _connection.ConnectAsync().AsTask().WaitAsync(_options.PublishTimeout, cancellationToken);
            }
            else if (_connection.ConnectionState != NatsConnectionState.Open)
            {
                throw new NatsException($"Not connected to NATS ({_connection.ConnectionState}); the client is reconnecting.");
            }

            // JetStream API calls time out after the connection's RequestTimeout (PublishTimeout).
            _jetStream ??= new NatsJSContext(_connection);
            await EnsureStreamAsync(_jetStream, cancellationToken);
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task PublishAsync(ClickStreamMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var jetStream = _jetStream ?? throw new InvalidOperationException("EnsureReadyAsync first.");
        try
        {
            var ack = await jetStream.PublishAsync(
                message.Subject, message.Body, headers: new NatsHeaders { [MsgIdHeader] = message.Id }, cancellationToken: cancellationToken);
            // A duplicate (a message handed over again, within the window) is stored already: that is success here.
            if (!ack.Duplicate)
            {
                ack.EnsureSuccess();
            }
        }
        catch
        {
            // The server may have lost the stream (a restart without its store): make sure of it again next round.
            _ready = false;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _gate.Dispose();
    }

    /// <summary>
    /// Creates the stream when missing; when it exists, sets only its subjects and duplicate window, keeping whatever
    /// else an operator configured (limits, replicas, retention).
    /// </summary>
    private async Task EnsureStreamAsync(NatsJSContext jetStream, CancellationToken cancellationToken)
    {
        var subjects = new[] { ClickStreamMessages.SubjectPrefix + ">" };
        try
        {
            var existing = await jetStream.GetStreamAsync(_options.Stream, cancellationToken: cancellationToken);
            var config = existing.Info.Config;
            if (config.DuplicateWindow != _options.DuplicateWindow || config.Subjects is null || !config.Subjects.Contains(subjects[0]))
            {
                config.DuplicateWindow = _options.DuplicateWindow;
                config.Subjects = [.. (config.Subjects ?? []).Union(subjects)];
                await jetStream.UpdateStreamAsync(config, cancellationToken);
                LogStreamUpdated(_options.Stream);
            }
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            await jetStream.CreateStreamAsync(
                new StreamConfig(_options.Stream, subjects)
                {
                    DuplicateWindow = _options.DuplicateWindow,
                    Storage = StreamConfigStorage.File,
                    Description = "LinkTracking: stored and reclassified clicks (docs/streaming.md)",
                },
                cancellationToken);
            LogStreamCreated(_options.Stream);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the JetStream stream {Stream} for the click stream")]
    private partial void LogStreamCreated(string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated the JetStream stream {Stream}'s subjects and duplicate window")]
    private partial void LogStreamUpdated(string stream);
}
