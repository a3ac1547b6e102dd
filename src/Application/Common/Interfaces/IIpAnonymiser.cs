namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// Anonymises the stored client addresses of old clicks (<see cref="Domain.Clicks.IpAddresses.Anonymise"/>: IPv4 to
/// /24, IPv6 to /48, an IPv4-mapped address as IPv4), a batch at a time. One implementation per database provider,
/// chosen where the provider is.
/// </summary>
public interface IIpAnonymiser
{
    /// <summary>
    /// Anonymises the addresses of up to <paramref name="batchSize"/> clicks older than <paramref name="before"/> that
    /// still carry a full address; returns how many changed (0 when done). Safe to run on several instances at once.
    /// </summary>
    Task<int> AnonymiseIpsAsync(DateTime before, int batchSize, CancellationToken cancellationToken);
}
