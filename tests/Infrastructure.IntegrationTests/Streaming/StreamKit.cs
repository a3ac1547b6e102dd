using System.Text.Json;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Streaming;
using LinkTracking.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace LinkTracking.Infrastructure.IntegrationTests.Streaming;

/// <summary>
/// The click stream's parts built by hand over a test database and a NATS server: the publisher with the NATS sink (or
/// a wrapper around it), the reclassifier with the stream's outbox observer, and a consumer that reads the whole stream.
/// </summary>
public sealed class StreamKit : IAsyncDisposable
{
    /// <summary>The server test.sh starts (<c>nats://127.0.0.1:port</c>).</summary>
    public const string UrlVariable = "LINKTRACKING_TEST_NATS";

    private readonly ServiceProvider _provider;

    public StreamKit(TestDatabase database, string url, int batchSize = 500, Func<IClickStreamSink, IClickStreamSink>? wrapSink = null)
    {
        Options = new NatsStreamOptions { Url = url, BatchSize = batchSize, PublishTimeout = TimeSpan.FromSeconds(2) };
        Nats = new NatsClickStreamSink(Microsoft.Extensions.Options.Options.Create(Options), NullLoggerFactory.Instance);
        var services = new ServiceCollection();
        services.AddScoped<LinkTrackingDbContext>(_ => database.CreateContext());
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<IClickReclassificationObserver, ClickStreamOutbox>();
        _provider = services.BuildServiceProvider();
        Publisher = new ClickStreamPublisher(
            _provider.GetRequiredService<IServiceScopeFactory>(),
            TestData.Rollups(database),
            wrapSink is null ? Nats : wrapSink(Nats),
            Microsoft.Extensions.Options.Options.Create(Options),
            new TestMeterFactory(),
            NullLogger<ClickStreamPublisher>.Instance);
        Reclassifier = new ClickReclassifier(
            _provider.GetRequiredService<IServiceScopeFactory>(), Microsoft.Extensions.Options.Options.Create(new ClickClassificationOptions()), TestData.Rollups(database), TestData.EarnedSignals(database));
    }

    public NatsStreamOptions Options { get; }

    public NatsClickStreamSink Nats { get; }

    public ClickStreamPublisher Publisher { get; }

    /// <summary>Reclassifies bursts and decoys with the stream's outbox observer, as the rollup worker does in the service.</summary>
    public ClickReclassifier Reclassifier { get; }

    /// <summary>The URL of test.sh's server, or the test is ignored (test.sh always sets it).</summary>
    public static string UrlOrIgnore() =>
        Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url
            ? url
            : IgnoreWith<string>($"{UrlVariable} is not set: no NATS server to stream to (./test.sh starts one).");

    /// <summary>Runs publisher rounds until one says there is no more.</summary>
    public async Task PublishAllAsync()
    {
        for (var round = 0; round < 1000 && await Publisher.PublishRoundAsync(CancellationToken.None); round++)
        {
        }
    }

    /// <summary>Deletes the stream (a fresh one per test; the publisher creates it again).</summary>
    public static async Task DeleteStreamAsync(string url, string stream)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        var js = new NatsJSContext(connection);
        try
        {
            await js.DeleteStreamAsync(stream);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
        }
    }

    /// <summary>Every message of the stream, in the stream's order, as a consumer sees it.</summary>
    public static async Task<List<Received>> ReadStreamAsync(string url, string stream)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        var js = new NatsJSContext(connection);
        var info = await js.GetStreamAsync(stream);
        var count = (int)info.Info.State.Messages;
        var received = new List<Received>();
        if (count == 0)
        {
            return received;
        }

        var consumer = await js.CreateOrderedConsumerAsync(stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            var id = message.Headers?[NatsClickStreamSink.MsgIdHeader].ToString();
            received.Add(new Received(message.Subject, id!, JsonDocument.Parse(message.Data).RootElement.Clone()));
            if (received.Count == count)
            {
                break;
            }
        }

        return received;
    }

    public ValueTask DisposeAsync()
    {
        var disposing = Nats.DisposeAsync();
        return disposing.IsCompleted ? _provider.DisposeAsync() : DisposeBothAsync(disposing);
    }

    private async ValueTask DisposeBothAsync(ValueTask disposing)
    {
        await disposing;
        await _provider.DisposeAsync();
    }

    private static T IgnoreWith<T>(string reason)
    {
        Assert.Ignore(reason);
        return default!;
    }
}

/// <summary>A message as the consumer got it: subject, <c>Nats-Msg-Id</c>, body.</summary>
public sealed record Received(string Subject, string MsgId, JsonElement Body)
{
    public string Type => Body.GetProperty("type").GetString()!;

    public string ClickId => Body.GetProperty("click_id").GetString()!;

    public string TrackingId => Body.GetProperty("tracking_id").GetString()!;
}
