using System.Net;
using System.Net.Sockets;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Webhooks;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// The HTTP client of the delivery worker, apart from everything else: no redirects, no proxy, no cookies, a short
/// timeout, no trace context sent (a receiver learns nothing of our traces: no <c>traceparent</c>, <c>tracestate</c> or
/// baggage), and a connect step that resolves the host itself and refuses every non-public address
/// (<see cref="WebhookTargets.IsPublic"/>, unless <c>Webhooks:AllowPrivateTargets</c>) — checked on the addresses
/// actually connected to, so a name that re-resolves to an internal address (DNS rebinding) is refused too.
/// </summary>
public sealed class WebhookHttpClient : IDisposable
{
    public WebhookHttpClient(IOptions<WebhookOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var allowPrivate = options.Value.AllowPrivateTargets;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = options.Value.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 16,
            // This handler only: other clients of the process keep propagating as DistributedContextPropagator.Current says.
            ActivityHeadersPropagator = null,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
        };
        Client = new HttpClient(handler) { Timeout = options.Value.Timeout };
        Client.DefaultRequestHeaders.UserAgent.ParseAdd("LinkTracking-Webhooks/1.0");
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        if (!allowPrivate && addresses.FirstOrDefault(a => !WebhookTargets.IsPublic(a)) is { } refused)
        {
            throw new HttpRequestException($"{endPoint.Host} resolves to {refused}, which is not a public address (Webhooks:AllowPrivateTargets).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
