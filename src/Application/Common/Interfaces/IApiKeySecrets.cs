namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Makes API key secrets and the hashes stored in their place.</summary>
public interface IApiKeySecrets
{
    /// <summary>A new high-entropy secret with a recognisable prefix.</summary>
    string Generate();

    /// <summary>The hash stored instead of the secret.</summary>
    string Hash(string secret);

    /// <summary>The few leading characters shown in lists, enough to recognise a key, not to use it.</summary>
    string DisplayPrefix(string secret);
}

/// <summary>Forgets cached authentication results for a key, on every instance, so a revoked key is refused at once.</summary>
public interface IApiKeyRevocations
{
    ValueTask PublishRevokedAsync(string keyHash, CancellationToken cancellationToken);
}
