namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Commits the changes made through the repositories of one request.</summary>
public interface IUnitOfWork
{
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
