using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinkTracking.Infrastructure.Text;

/// <summary>
/// Tells which of many patterns can match a text, in one pass: each pattern is indexed under its required literals
/// (<see cref="RequiredLiterals"/>), all of them in one Aho–Corasick automaton over case-folded ASCII (a dense
/// transition table: one lookup per character); a pattern without literals is always a candidate. Only candidates
/// need their regex run, so 1,175 uap-core rules or 1,500 crawler patterns cost one scan and a few regex calls.
/// A text with a non-ASCII character is not scanned (<see cref="TryFind"/> returns false): .NET's case-insensitive
/// matching folds some non-ASCII letters onto ASCII ones (the Kelvin sign onto k), so every pattern is then a candidate.
/// </summary>
public sealed class LiteralPrefilter
{
    private readonly byte[] _classOf = new byte[128];
    private readonly int _classes;
    private readonly int[] _next;
    private readonly int[] _outputStart;
    private readonly bool[] _hasOutput;
    private readonly int[] _outputs;
    private readonly int[] _always;

    /// <param name="literals">Per pattern, its required literals (lower-case), or null when it must always run.</param>
    public LiteralPrefilter(IReadOnlyList<IReadOnlyList<string>?> literals)
    {
        ArgumentNullException.ThrowIfNull(literals);
        PatternCount = literals.Count;
        _always = [.. Enumerable.Range(0, literals.Count).Where(i => literals[i] is null)];

        // Alphabet: one class per (folded) character that occurs in a literal; class 0 for every other character.
        var classes = 1;
        foreach (var c in literals.Where(l => l is not null).SelectMany(l => l!).SelectMany(s => s))
        {
            var folded = Fold(c);
            if (_classOf[folded] == 0)
            {
                _classOf[folded] = (byte)classes++;
            }
        }

        for (var c = 'A'; c <= 'Z'; c++)
        {
            _classOf[c] = _classOf[char.ToLowerInvariant(c)];
        }

        _classes = classes;

        // The trie.
        var children = new List<Dictionary<int, int>> { new() };
        var own = new List<List<int>> { new() };
        for (var pattern = 0; pattern < literals.Count; pattern++)
        {
            foreach (var literal in literals[pattern] ?? [])
            {
                var state = 0;
                foreach (var c in literal)
                {
                    var cls = _classOf[Fold(c)];
                    if (!children[state].TryGetValue(cls, out var next))
                    {
                        next = children.Count;
                        children.Add(new Dictionary<int, int>());
                        own.Add(new List<int>());
                        children[state][cls] = next;
                    }

                    state = next;
                }

                own[state].Add(pattern);
            }
        }

        // Failure links breadth first, turned into a full transition table; outputs merged along the failure chain.
        var states = children.Count;
        _next = new int[states * _classes];
        var fail = new int[states];
        var outputs = new List<int>[states];
        outputs[0] = [.. own[0]];
        var queue = new Queue<int>();
        foreach (var (cls, child) in children[0])
        {
            _next[cls] = child;
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            outputs[state] = [.. own[state].Concat(outputs[fail[state]]).Distinct()];
            for (var cls = 0; cls < _classes; cls++)
            {
                if (children[state].TryGetValue(cls, out var child))
                {
                    fail[child] = state == 0 ? 0 : _next[(fail[state] * _classes) + cls];
                    _next[(state * _classes) + cls] = child;
                    queue.Enqueue(child);
                }
                else
                {
                    _next[(state * _classes) + cls] = _next[(fail[state] * _classes) + cls];
                }
            }
        }

        _outputStart = new int[states + 1];
        var flat = new List<int>();
        for (var state = 0; state < states; state++)
        {
            _outputStart[state] = flat.Count;
            flat.AddRange(outputs[state]);
        }

        _outputStart[states] = flat.Count;
        _outputs = [.. flat];
        _hasOutput = [.. Enumerable.Range(0, states).Select(state => outputs[state].Count > 0)];
        States = states;
    }

    public int PatternCount { get; }

    /// <summary>Automaton states (memory: states × alphabet × 4 bytes).</summary>
    public int States { get; }

    /// <summary>Patterns without a literal: candidates for every text.</summary>
    public IReadOnlyList<int> Always => _always;

    /// <summary>Words of the candidate bit set for <see cref="PatternCount"/> patterns.</summary>
    public int Words => (PatternCount + 63) / 64;

    /// <summary>
    /// Marks in <paramref name="candidates"/> (<see cref="Words"/> long, cleared by the caller) every pattern whose
    /// literal occurs in <paramref name="text"/>, and every pattern without one. False when the text holds a non-ASCII
    /// character: then nothing is marked and every pattern is a candidate.
    /// </summary>
    public bool TryFind(ReadOnlySpan<char> text, Span<ulong> candidates)
    {
        if (System.Text.Ascii.IsValid(text) is false)
        {
            return false;
        }

        // The hot loop: one table lookup per character, bounds checks left out (every index is in range by
        // construction: characters are < 128, states and classes are the table's own).
        var state = 0;
        var classes = _classes;
        ref var next = ref MemoryMarshal.GetArrayDataReference(_next);
        ref var classOf = ref MemoryMarshal.GetArrayDataReference(_classOf);
        ref var hasOutput = ref MemoryMarshal.GetArrayDataReference(_hasOutput);
        foreach (var c in text)
        {
            state = Unsafe.Add(ref next, (state * classes) + Unsafe.Add(ref classOf, c));
            if (Unsafe.Add(ref hasOutput, state))
            {
                for (var i = _outputStart[state]; i < _outputStart[state + 1]; i++)
                {
                    var pattern = _outputs[i];
                    candidates[pattern >> 6] |= 1UL << pattern;
                }
            }
        }

        foreach (var pattern in _always)
        {
            candidates[pattern >> 6] |= 1UL << pattern;
        }

        return true;
    }

    public static bool IsSet(ReadOnlySpan<ulong> candidates, int pattern) => (candidates[pattern >> 6] & (1UL << pattern)) != 0;

    private static char Fold(char c) => c < 128 ? char.ToLowerInvariant(c) : throw new ArgumentException("literals are ASCII", nameof(c));
}
