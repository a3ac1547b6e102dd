namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Privacy operations on stored clicks.</summary>
public interface IClickPrivacyStore
{
    /// <summary>Deletes the clicks matching every given filter; returns how many.</summary>
    Task<int> EraseAsync(ClickErasureFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// Anonymises the client IPs (IPv4 to /24, IPv6 to /48) of up to <paramref name="batchSize"/> clicks older
    /// than <paramref name="before"/> that still carry a full address; returns how many changed (0 when done).
    /// Safe to run on several instances at once.
    /// </summary>
    Task<int> AnonymiseIpsAsync(DateTime before, int batchSize, CancellationToken cancellationToken);
}

/// <summary>Which clicks to erase: all of the given filters must match; at least one must be given.</summary>
public sealed record ClickErasureFilter(System.Net.IPAddress? IpAddress, string? SessionId, Guid? ApplicationId, Guid? JobId)
{
    public bool IsEmpty => IpAddress is null && SessionId is null && ApplicationId is null && JobId is null;
}
