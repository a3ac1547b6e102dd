namespace LinkTracking.Domain.Common;

/// <summary>A business rule of the domain was broken. <see cref="Field"/> names the input at fault.</summary>
public sealed class DomainRuleException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
