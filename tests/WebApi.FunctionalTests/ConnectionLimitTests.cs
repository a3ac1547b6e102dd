using System.Net.Sockets;
using System.Text;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary><c>Network:MaxConcurrentConnections</c> on a real Kestrel: one connection past the limit is closed unanswered.</summary>
public sealed class ConnectionLimitTests
{
    [Test]
    public async Task AConnectionPastNetworkMaxConcurrentConnections_IsClosedUnanswered_WhileTheOpenOneIsServed()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?> { ["Network:MaxConcurrentConnections"] = "1" });
        factory.UseKestrel(0);
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var first = new TcpClient();
        await first.ConnectAsync("127.0.0.1", address.Port);
        var firstAnswer = await ExchangeAsync(first);
        using var second = new TcpClient();
        await second.ConnectAsync("127.0.0.1", address.Port);
        var secondAnswer = await ExchangeAsync(second);
        var firstAgain = await ExchangeAsync(first);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstAnswer, Does.StartWith("HTTP/1.1 200"));
            Assert.That(secondAnswer, Is.Empty, "the connection over the limit is closed before any answer");
            Assert.That(firstAgain, Does.StartWith("HTTP/1.1 200"), "the open connection is still served");
        }
    }

    /// <summary>Sends one keep-alive request and returns the start of the answer ("" when the server closed the connection).</summary>
    private static async Task<string> ExchangeAsync(TcpClient client)
    {
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (IOException)
        {
            return string.Empty; // reset by the server
        }
    }
}
