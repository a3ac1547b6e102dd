using LinkTracking.Application.Common.Interfaces;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace NaiveService;

/// <summary><c>NaiveService --urls http://127.0.0.1:PORT</c>, configured like the service (environment variables).</summary>
public static class NaiveServiceMain
{
    public static async Task Main(string[] args)
    {
        var urls = args.SkipWhile(a => a != "--urls").Skip(1).FirstOrDefault() ?? "http://127.0.0.1:5080";
        using var factory = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IClickRecorder, NaiveClickRecorder>()));
        factory.UseKestrel(new Uri(urls).Port);
        factory.StartServer();
        Console.WriteLine($"Naive service on {urls}");
        await Task.Delay(Timeout.Infinite);
    }
}
