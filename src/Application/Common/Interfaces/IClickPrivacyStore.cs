namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Erasure of stored clicks (anonymisation: <see cref="IIpAnonymiser"/>).</summary>
public interface IClickPrivacyStore
{
    /// <summary>Deletes the clicks matching every given filter; returns how many.</summary>
    Task<int> EraseAsync(ClickErasureFilter filter, CancellationToken cancellationToken);
}

/// <summary>Which clicks to erase: all of the given filters must match; at least one must be given.</summary>
public sealed record ClickErasureFilter(System.Net.IPAddress? IpAddress, string? SessionId, Guid? ApplicationId, Guid? JobId)
{
    public bool IsEmpty => IpAddress is null && SessionId is null && ApplicationId is null && JobId is null;
}
