namespace LinkTracking.Infrastructure.Persistence;

/// <summary>
/// PostgreSQL only (<c>link_click_event_keys</c>): the id of every stored partner click that carries an
/// <c>event_id</c>, with its <c>clicked_at</c>. <c>link_clicks</c> is partitioned by <c>clicked_at</c>, so its keys
/// must include <c>clicked_at</c> and cannot see a partner's retry that brings the same event with another time;
/// this small unpartitioned table can. The batch writer claims the key in the same statement (or transaction) that
/// stores the click, so a click is stored exactly when its key is new (ADR 0010).
/// </summary>
public sealed class ClickEventKey
{
    /// <summary>Name of the table.</summary>
    public const string TableName = "link_click_event_keys";

    /// <summary>The click's id: <see cref="Domain.Clicks.LinkClick.IdForEvent"/> of its tracking id and event id.</summary>
    public Guid Id { get; set; }

    /// <summary>When the stored click happened: where to find it in <c>link_clicks</c>, and what retention goes by.</summary>
    public DateTime ClickedAt { get; set; }
}
