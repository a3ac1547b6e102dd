using System.Collections.Concurrent;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Clicks.Commands.TrackRedirect;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Clicks.OrphanVisits;

/// <summary>
/// The redirect's hook for unknown or malformed tracking ids: classifies the request, masks the address, applies the
/// per-address cap and queues the visit (<see cref="IOrphanVisitSink"/>); it never waits for the database. The
/// per-address counts live in memory for the current UTC day and hold at most <see cref="MaxTrackedAddresses"/>
/// addresses; past that, new addresses are not recorded that day (a scan that wide is already visible).
/// </summary>
public sealed class OrphanVisitRecorder(IClickClassifier classifier, IOrphanVisitSink sink, TimeProvider timeProvider, IOptions<OrphanVisitOptions> options)
{
    public const int MaxTrackedAddresses = 10_000;

    private readonly OrphanVisitOptions _options = options.Value;
    private readonly object _dayLock = new();
    private ConcurrentDictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private DateOnly _day;

    /// <summary>Records a visit to <paramref name="path"/> unless a cap says no. Returns whether it was queued.</summary>
    public bool Record(string path, RedirectRequest request)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(request);
        if (_options.MaxPerIpPerDay <= 0)
        {
            return false;
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var ipPartial = request.IpAddress is null ? null : IpAddresses.Partial(request.IpAddress);
        if (!Admit(ipPartial ?? "unknown", DateOnly.FromDateTime(now)))
        {
            return false;
        }

        var classification = classifier.Classify(new ClickFacts(request.Method, request.IpAddress, request.UserAgent, request.Headers, now, SentAt: null));
        return sink.TryEnqueue(OrphanVisit.Create(now, path, ipPartial, request.UserAgent, request.Referrer, classification.Category));
    }

    private bool Admit(string address, DateOnly day)
    {
        var counts = CountsFor(day);
        if (!counts.ContainsKey(address) && counts.Count >= MaxTrackedAddresses)
        {
            return false;
        }

        var count = counts.AddOrUpdate(address, 1, static (_, c) => c + 1);
        return count <= _options.MaxPerIpPerDay;
    }

    private ConcurrentDictionary<string, int> CountsFor(DateOnly day)
    {
        lock (_dayLock)
        {
            if (_day != day)
            {
                _day = day;
                _perAddress = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            }

            return _perAddress;
        }
    }
}
