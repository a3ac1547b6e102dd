using LinkTracking.Domain.ApiKeys;

namespace LinkTracking.Domain.UnitTests.ApiKeys;

public sealed class DashboardSessionTests
{
    private static readonly DateTime Now = new(2025, 7, 27, 9, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Idle = TimeSpan.FromHours(8);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Test]
    public void Start_EndsAtTheIdleWindow_WhenThatComesBeforeTheAbsoluteLifetime()
    {
        var session = DashboardSession.Start(Id, Guid.NewGuid(), Now, Now + Idle, Lifetime);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(session.ExpiresAt, Is.EqualTo(Now + Idle));
            Assert.That(session.AbsoluteExpiresAt, Is.EqualTo(Now + Lifetime));
            Assert.That(session.HasEnded(Now + Idle - TimeSpan.FromSeconds(1)), Is.False);
            Assert.That(session.HasEnded(Now + Idle), Is.True);
        }
    }

    [Test]
    public void Renew_MovesTheIdleEnd_ButNeverPastTheAbsoluteLifetime()
    {
        var session = DashboardSession.Start(Id, Guid.NewGuid(), Now, Now + Idle, Lifetime);
        var renewedAt = Now.AddHours(6);

        session.Renew(renewedAt, renewedAt + Idle);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(session.IssuedAt, Is.EqualTo(renewedAt));
            Assert.That(session.ExpiresAt, Is.EqualTo(Now + Lifetime), "6 h + 8 h is past the 12 h lifetime");
            Assert.That(session.HasEnded(Now + Lifetime), Is.True);
        }
    }

    [Test]
    public void Start_WithALifetimeShorterThanTheIdleWindow_EndsAtTheLifetime()
    {
        var session = DashboardSession.Start(Id, Guid.NewGuid(), Now, Now + Idle, TimeSpan.FromHours(1));

        Assert.That(session.ExpiresAt, Is.EqualTo(Now.AddHours(1)));
    }
}
