using System.Net;
using LinkTracking.Domain.Common;
using LinkTracking.Domain.Links;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Domain.UnitTests.Links;

public sealed class VariantAssignmentTests
{
    private const int Visitors = 100_000;
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    [Test]
    public void TheSameSession_GetsTheSameVariant_AThousandTimes()
    {
        var variants = Variants(("a", 50), ("b", 30), ("c", 20));
        var session = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

        var chosen = Enumerable.Range(0, 1000).Select(_ => VariantAssignment.Choose(VariantAssignment.ForSession(session), variants).Key).Distinct().ToList();

        Assert.That(chosen, Has.Count.EqualTo(1));
    }

    [TestCase(50, 30, 20)]
    [TestCase(1, 99, 0)]
    [TestCase(10, 10, 80)]
    public void Visitors_AreSplitByWeight_WithinThreePercent_OverAHundredThousandSessions(int a, int b, int c)
    {
        var variants = c == 0 ? Variants(("a", a), ("b", b)) : Variants(("a", a), ("b", b), ("c", c));
        var random = new Random(29);
        var buffer = new byte[16];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < Visitors; i++)
        {
            random.NextBytes(buffer);
            var key = VariantAssignment.Choose(VariantAssignment.ForSession(Convert.ToHexStringLower(buffer)), variants).Key;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        AssertSplit(variants, counts);
    }

    [Test]
    public void VisitorsWithoutACookie_AreSplitByWeight_WithinThreePercent_ByAddressAndAgent()
    {
        var variants = Variants(("a", 70), ("b", 30));
        var random = new Random(7);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < Visitors; i++)
        {
            var address = new IPAddress([(byte)random.Next(1, 224), (byte)random.Next(256), (byte)random.Next(256), 1]);
            var key = VariantAssignment.Choose(VariantAssignment.ForAddress(address, Chrome + random.Next(50)), variants).Key;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        AssertSplit(variants, counts);
    }

    [Test]
    public void AScannersRefetch_FromAnotherAddressOfItsNetwork_GetsTheSameKey_AndAnotherAgentAnother()
    {
        var first = VariantAssignment.ForAddress(IPAddress.Parse("203.0.113.5"), "Scanner/1.0");

        Assert.Multiple(() =>
        {
            Assert.That(VariantAssignment.ForAddress(IPAddress.Parse("203.0.113.200"), "Scanner/1.0"), Is.EqualTo(first));
            Assert.That(VariantAssignment.ForAddress(IPAddress.Parse("::ffff:203.0.113.9"), "Scanner/1.0"), Is.EqualTo(first));
            Assert.That(VariantAssignment.ForAddress(IPAddress.Parse("203.0.114.5"), "Scanner/1.0"), Is.Not.EqualTo(first));
            Assert.That(VariantAssignment.ForAddress(IPAddress.Parse("203.0.113.5"), "Scanner/2.0"), Is.Not.EqualTo(first));
            Assert.That(
                VariantAssignment.ForAddress(IPAddress.Parse("2001:db8:85a3:1::1"), null),
                Is.EqualTo(VariantAssignment.ForAddress(IPAddress.Parse("2001:db8:85a3:ffff::2"), null)));
        });
    }

    [Test]
    public void ANewVisitorsSessionCookie_CarriesTheKeyOfItsFirstClick_SoItsSecondClickLandsOnTheSameVariant()
    {
        var addressKey = VariantAssignment.ForAddress(IPAddress.Parse("198.51.100.7"), Chrome);
        var random = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

        var session = VariantAssignment.SeedSession(random, addressKey);

        Assert.Multiple(() =>
        {
            Assert.That(session, Has.Length.EqualTo(32).And.StartWith(random[..16]));
            Assert.That(VariantAssignment.ForSession(session), Is.EqualTo(addressKey));
        });
    }

    [Test]
    public void RaisingAWeight_MovesOnlyTheMinimumShare_AndOnlyToThatVariant()
    {
        var before = Variants(("a", 50), ("b", 50));
        var after = Variants(("a", 50), ("b", 100));

        var moves = Moves(before, after);

        // b's share goes from 1/2 to 2/3: exactly 1/6 of the visitors must move, and only from a to b.
        Assert.Multiple(() =>
        {
            Assert.That(moves.Keys, Is.EquivalentTo(new[] { ("a", "b") }));
            Assert.That((double)moves[("a", "b")] / Visitors, Is.EqualTo(1.0 / 6).Within(0.01));
        });
    }

    [Test]
    public void RemovingAVariant_MovesOnlyItsOwnVisitors()
    {
        var before = Variants(("a", 40), ("b", 40), ("c", 20));
        var after = Variants(("a", 40), ("b", 40));

        var moves = Moves(before, after);

        Assert.That(moves.Keys.Select(m => m.From).Distinct(), Is.EqualTo(new[] { "c" }));
    }

    [TestCase(1)]
    [TestCase(6)]
    public void Create_WithTooFewOrTooManyVariants_NamesTheField(int count)
    {
        var items = Enumerable.Range(0, count).Select(i => new LinkVariant("v" + i, Url(i), 10)).ToList();

        var error = Assert.Throws<DomainRuleException>(() => LinkVariants.Create(items));

        Assert.That(error!.Field, Is.EqualTo("variants"));
    }

    [TestCase("A", 10)]
    [TestCase("", 10)]
    [TestCase("abcdefghijklmnopq", 10)]
    [TestCase("a-b", 10)]
    [TestCase("ok", 0)]
    [TestCase("ok", 101)]
    public void Create_WithABadKeyOrWeight_NamesTheField(string key, int weight)
    {
        var error = Assert.Throws<DomainRuleException>(() => LinkVariants.Create([new LinkVariant(key, Url(1), weight), new LinkVariant("z", Url(2), 10)]));

        Assert.That(error!.Field, Is.EqualTo("variants"));
    }

    [Test]
    public void Create_WithADuplicateKey_IsRefused()
    {
        Assert.Throws<DomainRuleException>(() => LinkVariants.Create([new LinkVariant("a", Url(1), 10), new LinkVariant("a", Url(2), 10)]));
    }

    [Test]
    public void ChangeVariants_RecordsAChange_OnlyWhenTheyDiffer()
    {
        var link = new TrackedLinkBuilder().Build();
        var later = TrackedLinkBuilder.DefaultCreatedAt.AddHours(1);

        var set = link.ChangeVariants(Variants(("a", 50), ("b", 50)), later, null);
        var same = link.ChangeVariants(Variants(("a", 50), ("b", 50)), later, null);
        var removed = link.ChangeVariants(null, later, null);

        Assert.Multiple(() =>
        {
            Assert.That(set?.NewValue, Is.EqualTo("a=50 https://example.com/a; b=50 https://example.com/b"));
            Assert.That(same, Is.Null);
            Assert.That(removed?.NewValue, Is.Null);
            Assert.That(link.Variants, Is.Null);
        });
    }

    private static Dictionary<(string From, string To), int> Moves(LinkVariants before, LinkVariants after)
    {
        var random = new Random(3);
        var buffer = new byte[16];
        var moves = new Dictionary<(string, string), int>();
        for (var i = 0; i < Visitors; i++)
        {
            random.NextBytes(buffer);
            var visitor = VariantAssignment.ForSession(Convert.ToHexStringLower(buffer));
            var (from, to) = (VariantAssignment.Choose(visitor, before).Key, VariantAssignment.Choose(visitor, after).Key);
            if (from != to)
            {
                moves[(from, to)] = moves.GetValueOrDefault((from, to)) + 1;
            }
        }

        return moves;
    }

    private static void AssertSplit(LinkVariants variants, Dictionary<string, int> counts)
    {
        var total = variants.Items.Sum(v => v.Weight);
        Assert.Multiple(() =>
        {
            foreach (var variant in variants.Items)
            {
                var expected = (double)variant.Weight / total;
                var observed = (double)counts.GetValueOrDefault(variant.Key) / Visitors;
                Assert.That(observed, Is.EqualTo(expected).Within(0.03 * expected + 0.001), $"variant {variant.Key}");
            }
        });
    }

    private static LinkVariants Variants(params (string Key, int Weight)[] items) =>
        LinkVariants.Create([.. items.Select(i => new LinkVariant(i.Key, TargetUrl.Create("https://example.com/" + i.Key), i.Weight))]);

    private static TargetUrl Url(int i) => TargetUrl.Create($"https://example.com/{i}");
}
