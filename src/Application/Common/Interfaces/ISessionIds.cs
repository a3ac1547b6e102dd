namespace LinkTracking.Application.Common.Interfaces;

/// <summary>New visitors' session ids: unguessable, cheap enough for the redirect.</summary>
public interface ISessionIds
{
    string New();
}
