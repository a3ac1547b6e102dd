using System.Text;

namespace LinkTracking.Infrastructure.Text;

/// <summary>
/// The literals a .NET regular expression cannot match without: a set of strings (lower-case ASCII) of which every
/// match contains at least one, whatever the case. <c>Mozilla.{1,200}Mobile.{1,100}(Instagram).(\d+)</c> →
/// {"instagram"}; <c>(?:^|[^g])news(?!sapphire)</c> → {"news"}; <c>(Twitter for (?:iPhone|iPad)|TwitterAndroid)</c> →
/// {"twitter for ", "twitterandroid"}. Conservative: any construct it does not follow exactly (conditionals,
/// back-references inside a literal, <c>x</c> mode) gives no literal, and the pattern is then simply always run.
/// </summary>
public static class RequiredLiterals
{
    /// <summary>Literals shorter than this are not worth indexing (";" or "/" is in every agent).</summary>
    public const int MinimumLength = 3;

    /// <summary>The required literals of <paramref name="pattern"/>, or null when there are none of <see cref="MinimumLength"/> or more.</summary>
    /// <param name="pattern">A .NET regular expression.</param>
    /// <param name="commonText">Text most inputs hold (lower case; e.g. an ordinary browser's agent): among a pattern's
    /// literals, one this text does not hold is preferred to a longer one it does (" build" is in every Android agent,
    /// "sm-" only in Samsung's), so the pattern is a candidate for fewer inputs.</param>
    public static IReadOnlyList<string>? Of(string pattern, IReadOnlyList<string>? commonText = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        try
        {
            var parser = new Parser(pattern, commonText ?? []);
            var result = parser.Alternation();
            if (parser.Position != pattern.Length)
            {
                return null;
            }

            return result.Set is { Count: > 0 } set && set.All(s => s.Length >= MinimumLength) ? set : null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>A node's best literal set (null: none), and the exact text it matches when it is a plain literal.</summary>
    private readonly record struct Node(List<string>? Set, string? Exact)
    {
        public static Node None => new(null, null);
    }

    private sealed class Parser(string pattern, IReadOnlyList<string> commonText)
    {
        public int Position { get; private set; }

        private bool AtEnd => Position >= pattern.Length;

        private char Current => pattern[Position];

        /// <summary>branch ('|' branch)*, up to ')' or the end.</summary>
        public Node Alternation()
        {
            var branches = new List<Node> { Sequence() };
            while (!AtEnd && Current == '|')
            {
                Position++;
                branches.Add(Sequence());
            }

            if (branches.Count == 1)
            {
                return branches[0];
            }

            if (branches.Any(b => b.Set is null))
            {
                return Node.None;
            }

            return new Node(branches.SelectMany(b => b.Set!).Distinct(StringComparer.Ordinal).ToList(), null);
        }

        private Node Sequence()
        {
            var run = new StringBuilder();
            var best = Node.None;
            var exact = true;
            void Flush()
            {
                if (run.Length > 0)
                {
                    Consider(ref best, new Node([run.ToString()], null));
                    run.Clear();
                }
            }

            while (!AtEnd && Current != '|' && Current != ')')
            {
                var c = Current;
                char? literal = null;
                Node group = Node.None;
                var isGroup = false;
                switch (c)
                {
                    case '\\':
                        literal = Escape();
                        break;
                    case '[':
                        literal = Class();
                        break;
                    case '(':
                        isGroup = true;
                        group = Group(out var zeroWidth);
                        if (zeroWidth)
                        {
                            exact = false;
                            Flush();
                            continue;
                        }

                        break;
                    case '.' or '^' or '$':
                        Position++;
                        break;
                    case '*' or '+' or '?':
                        throw new NotSupportedException("a quantifier without an atom");
                    case '{' when IsQuantifier():
                        throw new NotSupportedException("a quantifier without an atom");
                    default:
                        Position++;
                        literal = c < 128 ? char.ToLowerInvariant(c) : null;
                        break;
                }

                var (min, quantified) = Quantifier();
                if (literal is { } ch)
                {
                    if (!quantified)
                    {
                        run.Append(ch);
                        continue;
                    }

                    exact = false;
                    if (min >= 1)
                    {
                        // "xa+b": the last 'a' is next to what follows, so "xa" and "ab" are both required.
                        run.Append(ch);
                        Flush();
                        run.Append(ch);
                    }
                    else
                    {
                        Flush();
                    }

                    continue;
                }

                if (isGroup && !quantified && group.Exact is { } text)
                {
                    run.Append(text);
                    continue;
                }

                exact = false;
                Flush();
                if (isGroup && (!quantified || min >= 1) && group.Set is not null)
                {
                    Consider(ref best, group);
                }
            }

            var whole = exact ? run.ToString() : null;
            Flush();
            return whole is not null ? new Node(whole.Length > 0 ? [whole] : null, whole) : best;
        }

        private void Consider(ref Node best, Node candidate)
        {
            if (candidate.Set is null)
            {
                return;
            }

            if (best.Set is null || Score(candidate) > Score(best) || (Score(candidate) == Score(best) && candidate.Set.Count < best.Set.Count))
            {
                best = new Node(candidate.Set, null);
            }
        }

        /// <summary>The set's weakest member: its length, far more when common text does not hold it (and it is long enough to index).</summary>
        private int Score(Node node) =>
            node.Set!.Min(s => s.Length + (s.Length >= MinimumLength && !commonText.Any(t => t.Contains(s, StringComparison.Ordinal)) ? 1000 : 0));

        /// <summary>An escape: the literal character it stands for, or null for a class, an anchor or anything else.</summary>
        private char? Escape()
        {
            Position++;
            if (AtEnd)
            {
                throw new NotSupportedException("a trailing backslash");
            }

            var c = Current;
            Position++;
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return c < 128 ? char.ToLowerInvariant(c) : null;
            }

            switch (c)
            {
                case 'p' or 'P' or 'k':
                    SkipBraced();
                    break;
                case 'x':
                    Position += 2;
                    break;
                case 'u':
                    Position += 4;
                    break;
                case 'c':
                    Position += 1;
                    break;
            }

            if (Position > pattern.Length)
            {
                throw new NotSupportedException("a cut escape");
            }

            return null;
        }

        private void SkipBraced()
        {
            if (!AtEnd && Current is '{' or '<' or '\'')
            {
                var close = Current == '{' ? '}' : Current == '<' ? '>' : '\'';
                var end = pattern.IndexOf(close, Position + 1);
                Position = end < 0 ? throw new NotSupportedException("an open escape") : end + 1;
            }
        }

        /// <summary>A class; one that holds a single character, or one letter in both cases (<c>[Ss]</c>), is that literal.</summary>
        private char? Class()
        {
            var start = Position;
            SkipClass();
            var body = pattern.AsSpan(start + 1, Position - start - 2);
            return body switch
            {
                [var only] when only < 128 && only is not ('^' or '\\') => char.ToLowerInvariant(only),
                [var a, var b] when char.IsAsciiLetter(a) && a != b && char.ToLowerInvariant(a) == char.ToLowerInvariant(b) => char.ToLowerInvariant(a),
                _ => null,
            };
        }

        private void SkipClass()
        {
            Position++;
            if (!AtEnd && Current == '^')
            {
                Position++;
            }

            if (!AtEnd && Current == ']')
            {
                Position++;
            }

            while (!AtEnd && Current != ']')
            {
                if (Current == '\\')
                {
                    Position++;
                }
                else if (Current == '[' && pattern[Position - 1] == '-')
                {
                    SkipClass(); // class subtraction: [a-z-[aeiou]]
                    continue;
                }

                Position++;
            }

            if (AtEnd)
            {
                throw new NotSupportedException("an open class");
            }

            Position++;
        }

        /// <summary>A group; look-arounds and inline options are zero-width and give nothing.</summary>
        private Node Group(out bool zeroWidth)
        {
            zeroWidth = false;
            Position++;
            var lookAround = false;
            if (!AtEnd && Current == '?')
            {
                Position++;
                if (AtEnd)
                {
                    throw new NotSupportedException("an open group");
                }

                switch (Current)
                {
                    case ':' or '>':
                        Position++;
                        break;
                    case '=' or '!':
                        Position++;
                        lookAround = true;
                        break;
                    case '<' when Position + 1 < pattern.Length && pattern[Position + 1] is '=' or '!':
                        Position += 2;
                        lookAround = true;
                        break;
                    case '<' or '\'' or 'P':
                        if (Current == 'P')
                        {
                            Position++;
                        }

                        SkipBraced();
                        break;
                    case '#':
                        var end = pattern.IndexOf(')', Position);
                        Position = end < 0 ? throw new NotSupportedException("an open comment") : end + 1;
                        zeroWidth = true;
                        return Node.None;
                    case '(':
                        throw new NotSupportedException("a conditional");
                    default:
                        // Inline options: (?i) (?-i) (?i:…); 'x' would change what the pattern's text means.
                        var start = Position;
                        while (!AtEnd && (char.IsAsciiLetter(Current) || Current == '-'))
                        {
                            Position++;
                        }

                        if (pattern.AsSpan(start, Position - start).Contains('x') || AtEnd)
                        {
                            throw new NotSupportedException("inline options");
                        }

                        if (Current == ')')
                        {
                            Position++;
                            zeroWidth = true;
                            return Node.None;
                        }

                        if (Current != ':')
                        {
                            throw new NotSupportedException("inline options");
                        }

                        Position++;
                        break;
                }
            }

            var inner = Alternation();
            if (AtEnd || Current != ')')
            {
                throw new NotSupportedException("an open group");
            }

            Position++;
            zeroWidth = lookAround;
            return lookAround ? Node.None : inner;
        }

        private bool IsQuantifier()
        {
            var i = Position + 1;
            var digits = 0;
            while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
            {
                i++;
                digits++;
            }

            if (digits == 0)
            {
                return false;
            }

            if (i < pattern.Length && pattern[i] == ',')
            {
                i++;
                while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
                {
                    i++;
                }
            }

            return i < pattern.Length && pattern[i] == '}';
        }

        /// <summary>A quantifier after an atom, if any: its minimum (1 without one).</summary>
        private (int Min, bool Quantified) Quantifier()
        {
            if (AtEnd)
            {
                return (1, false);
            }

            int min;
            switch (Current)
            {
                case '*' or '?':
                    min = 0;
                    Position++;
                    break;
                case '+':
                    min = 1;
                    Position++;
                    break;
                case '{' when IsQuantifier():
                    var close = pattern.IndexOf('}', Position);
                    var body = pattern.AsSpan(Position + 1, close - Position - 1);
                    var comma = body.IndexOf(',');
                    min = int.Parse(comma < 0 ? body : body[..comma], System.Globalization.CultureInfo.InvariantCulture);
                    Position = close + 1;
                    break;
                default:
                    return (1, false);
            }

            if (!AtEnd && Current is '?' or '+')
            {
                Position++; // lazy
            }

            return (min, true);
        }
    }
}
