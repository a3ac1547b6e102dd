using LinkTracking.Domain.Common;
using LinkTracking.Domain.Links;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Domain.UnitTests.Links;

public sealed class TrackedLinkTests
{
    private static readonly DateTime Now = TrackedLinkBuilder.DefaultCreatedAt;

    [Test]
    public void Create_WithOnlyRequiredFields_IsActiveAndUsesTheDefaults()
    {
        var link = new TrackedLinkBuilder().WithType(null).CreatedBy(null).Build();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(link.IsActive, Is.True);
            Assert.That(link.LinkType, Is.EqualTo("external"));
            Assert.That(link.CreatedBy, Is.EqualTo("system"));
            Assert.That(link.CreatedAt, Is.EqualTo(Now));
            Assert.That(link.UpdatedAt, Is.EqualTo(Now));
            Assert.That(link.Description, Is.Null);
        }
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Create_WhenCreatedByIsBlank_DefaultsToSystem(string createdBy)
    {
        var link = new TrackedLinkBuilder().CreatedBy(createdBy).Build();

        Assert.That(link.CreatedBy, Is.EqualTo("system"));
    }

    [Test]
    public void Create_KeepsWhatTheCallerGave()
    {
        var jobId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();

        var link = new TrackedLinkBuilder()
            .WithTrackingId("lt_abcdefgh1234")
            .WithUrl("https://calendly.com/jane/30min")
            .WithFunction(LinkFunction.Calendly)
            .WithType(LinkType.Networking)
            .ForJob(jobId)
            .ForApplication(applicationId)
            .WithDescription("Book a call")
            .CreatedBy("orchestrator")
            .Build();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(link.TrackingId.Value, Is.EqualTo("lt_abcdefgh1234"));
            Assert.That(link.OriginalUrl.Value, Is.EqualTo("https://calendly.com/jane/30min"));
            Assert.That(link.LinkFunction, Is.EqualTo("Calendly"));
            Assert.That(link.LinkType, Is.EqualTo("networking"));
            Assert.That(link.JobId, Is.EqualTo(jobId));
            Assert.That(link.ApplicationId, Is.EqualTo(applicationId));
            Assert.That(link.Description, Is.EqualTo("Book a call"));
            Assert.That(link.CreatedBy, Is.EqualTo("orchestrator"));
        }
    }

    [TestCase("profile")]
    [TestCase("job_posting")]
    [TestCase("application")]
    [TestCase("networking")]
    [TestCase("document")]
    [TestCase("external")]
    [TestCase("internal")]
    [TestCase("contact")]
    public void Create_WhenLinkTypeIsInTheClosedList_IsAccepted(string linkType)
    {
        var link = new TrackedLinkBuilder().WithType(linkType).Build();

        Assert.That(link.LinkType, Is.EqualTo(linkType));
    }

    [TestCase("blog")]
    [TestCase("External")]
    [TestCase("")]
    public void Create_WhenLinkTypeIsUnknown_IsRejectedNamingLinkType(string linkType)
    {
        var builder = new TrackedLinkBuilder().WithType(linkType);

        var ex = Assert.Throws<DomainRuleException>(() => builder.Build());

        Assert.That(ex.Field, Is.EqualTo("link_type"));
    }

    [TestCase("")]
    [TestCase("Linked In")]
    [TestCase("LinkedIn!")]
    [TestCase("<script>")]
    public void Create_WhenLinkFunctionIsMalformed_IsRejectedNamingLinkFunction(string function)
    {
        var builder = new TrackedLinkBuilder().WithFunction(function);

        var ex = Assert.Throws<DomainRuleException>(() => builder.Build());

        Assert.That(ex.Field, Is.EqualTo("link_function"));
    }

    [Test]
    public void Create_WhenLinkFunctionIsOver50Characters_IsRejectedNamingLinkFunction()
    {
        var builder = new TrackedLinkBuilder().WithFunction(new string('a', 51));

        var ex = Assert.Throws<DomainRuleException>(() => builder.Build());

        Assert.That(ex.Field, Is.EqualTo("link_function"));
    }

    [Test]
    public void Create_WhenLinkFunctionIsCustomButWellFormed_IsAccepted()
    {
        var link = new TrackedLinkBuilder().WithFunction("Team-Page_2").Build();

        Assert.That(link.LinkFunction, Is.EqualTo("Team-Page_2"));
    }

    [Test]
    public void Create_WhenDescriptionIsExactly1000Characters_IsAccepted()
    {
        var description = new string('d', 1000);

        var link = new TrackedLinkBuilder().WithDescription(description).Build();

        Assert.That(link.Description, Is.EqualTo(description));
    }

    [Test]
    public void Create_WhenDescriptionIsOver1000Characters_IsRejectedNamingDescription()
    {
        var builder = new TrackedLinkBuilder().WithDescription(new string('d', 1001));

        var ex = Assert.Throws<DomainRuleException>(() => builder.Build());

        Assert.That(ex.Field, Is.EqualTo("description"));
    }

    [Test]
    public void Create_WhenCreatedByIsOver100Characters_IsRejectedNamingCreatedBy()
    {
        var builder = new TrackedLinkBuilder().CreatedBy(new string('c', 101));

        var ex = Assert.Throws<DomainRuleException>(() => builder.Build());

        Assert.That(ex.Field, Is.EqualTo("created_by"));
    }

    [Test]
    public void Deactivate_WhenActive_StopsTheLinkAndUpdatesUpdatedAt()
    {
        var link = new TrackedLinkBuilder().Build();
        var later = Now.AddHours(1);

        var changed = link.Deactivate(later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(link.IsActive, Is.False);
            Assert.That(link.UpdatedAt, Is.EqualTo(later));
            Assert.That(link.CreatedAt, Is.EqualTo(Now));
        }
    }

    [Test]
    public void Deactivate_WhenAlreadyInactive_ReturnsFalseAndKeepsUpdatedAt()
    {
        var link = new TrackedLinkBuilder().Build();
        link.Deactivate(Now.AddHours(1));

        var changed = link.Deactivate(Now.AddHours(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.False);
            Assert.That(link.IsActive, Is.False);
            Assert.That(link.UpdatedAt, Is.EqualTo(Now.AddHours(1)));
        }
    }

    [Test]
    public void Activate_WhenInactive_LetsTheLinkRedirectAgainAndUpdatesUpdatedAt()
    {
        var link = new TrackedLinkBuilder().Build();
        link.Deactivate(Now.AddHours(1));

        var changed = link.Activate(Now.AddHours(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(link.IsActive, Is.True);
            Assert.That(link.UpdatedAt, Is.EqualTo(Now.AddHours(2)));
        }
    }

    [Test]
    public void Activate_WhenAlreadyActive_ReturnsFalseAndKeepsUpdatedAt()
    {
        var link = new TrackedLinkBuilder().Build();

        var changed = link.Activate(Now.AddHours(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.False);
            Assert.That(link.IsActive, Is.True);
            Assert.That(link.UpdatedAt, Is.EqualTo(Now));
        }
    }

    [Test]
    public void ChangeMaxHumanClicks_RecordsTheOldAndNewValueWithTimeAndKey_AndTouchesUpdatedAt()
    {
        var link = new TrackedLinkBuilder().Build();
        var later = Now.AddMinutes(5);
        var key = Guid.NewGuid();

        var change = link.ChangeMaxHumanClicks(3, later, key);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(link.MaxHumanClicks, Is.EqualTo(3));
            Assert.That(link.UpdatedAt, Is.EqualTo(later));
            Assert.That(change!.LinkId, Is.EqualTo(link.Id));
            Assert.That(change.Field, Is.EqualTo("max_human_clicks"));
            Assert.That(change.OldValue, Is.Null);
            Assert.That(change.NewValue, Is.EqualTo("3"));
            Assert.That(change.ChangedAt, Is.EqualTo(later));
            Assert.That(change.ApiKeyId, Is.EqualTo(key));
        }
    }

    [Test]
    public void Change_ToTheSameValue_RecordsNothing()
    {
        var link = new TrackedLinkBuilder().WithDescription("same").Build();

        var change = link.ChangeDescription("same", Now.AddMinutes(1), null);

        Assert.That(change, Is.Null);
        Assert.That(link.UpdatedAt, Is.EqualTo(Now));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(TrackedLink.MaxHumanClicksLimit + 1)]
    public void ChangeMaxHumanClicks_OutOfRange_IsRefused(int value)
    {
        var link = new TrackedLinkBuilder().Build();

        var error = Assert.Throws<DomainRuleException>(() => link.ChangeMaxHumanClicks(value, Now, null));

        Assert.That(error!.Field, Is.EqualTo("max_human_clicks"));
        Assert.That(link.MaxHumanClicks, Is.Null);
    }

    [Test]
    public void ChangeExpiresAt_WithALocalTime_IsRefused()
    {
        var link = new TrackedLinkBuilder().Build();

        Assert.Throws<DomainRuleException>(() => link.ChangeExpiresAt(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Local), Now, null));
    }

    [Test]
    public void ChangeFallbackUrl_ToNull_ClearsIt()
    {
        var link = new TrackedLinkBuilder().Build();
        link.ChangeFallbackUrl(TargetUrl.Create("https://example.com/closed"), Now, null);

        var change = link.ChangeFallbackUrl(null, Now.AddMinutes(1), null);

        Assert.That(link.FallbackUrl, Is.Null);
        Assert.That(change!.OldValue, Is.EqualTo("https://example.com/closed"));
        Assert.That(change.NewValue, Is.Null);
    }
}
