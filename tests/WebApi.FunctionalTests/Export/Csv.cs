using System.Text;

namespace LinkTracking.WebApi.FunctionalTests.Export;

/// <summary>A strict RFC 4180 reader for the tests: records of fields, quotes undone, CRLF between records.</summary>
public static class Csv
{
    public static List<string[]> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else
            {
                Assert.That(c, Is.Not.AnyOf('"', '\r', '\n'), $"unquoted special character at {i}");
                field.Append(c);
            }
        }

        Assert.That(quoted, Is.False, "unterminated quoted field");
        Assert.That(field.Length + fields.Count, Is.Zero, "the last record does not end with CRLF");
        return records;
    }
}
