using CogLtx.Tests.Shared;
using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

/// <summary>
/// Seeded property tests of the real tokenizers on hostile text (issue 13 item 4): random Unicode with characters
/// outside the BMP, combining marks, control characters and lone surrogates, empty and white-space-only text, and a
/// line of 256k characters. Invariants: no exception; token offsets inside the text, non-empty-or-equal, and monotone; special
/// tokens at (0, 0); truncation honoured; byte-level BPE decodes its own ids back to the text.
/// </summary>
public sealed class TokenizerPropertyTests
{
    private const int Cases = 120;

    public static TheoryData<string> Variants() => [.. TokenizerFixtures.Variants];

    [Theory]
    [MemberData(nameof(Variants))]
    public void RandomText_TokenizesWithOffsetsInsideTheTextAndMonotone(string variant)
    {
        var tokenizer = TokenizerFixtures.Get(variant);
        var rng = new Random(1301);
        for (var i = 0; i < Cases; i++)
        {
            var text = (i % 4) switch
            {
                0 => RandomInputs.Whitespace(rng, 12),
                1 => RandomInputs.WithLoneSurrogates(rng, 40),
                _ => RandomInputs.Unicode(rng, 60),
            };
            AssertOffsets(text, tokenizer.Tokenize(text).Select(t => (t.Start, t.End)).ToArray());
            var encoding = tokenizer.Encode(text);
            var content = Enumerable.Range(0, encoding.Ids.Length).Where(k => encoding.SequenceIds is null || encoding.SequenceIds[k] == 0).Select(k => encoding.Offsets[k]).ToArray();
            AssertOffsets(text, content);
            Assert.Equal(encoding.Ids.Length, encoding.Offsets.Length);
            Assert.Equal(encoding.Ids.Length, encoding.TypeIds.Length);
            Assert.All(encoding.Ids, id => Assert.InRange(id, 0, tokenizer.VocabSize - 1));
            var pair = tokenizer.Encode(text, RandomInputs.Unicode(rng, 20), maxLength: 8);
            Assert.InRange(pair.Ids.Length, 0, 8);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EmptyText_GivesNoContentTokens(string variant)
    {
        var tokenizer = TokenizerFixtures.Get(variant);
        Assert.Empty(tokenizer.Tokenize(""));
        var encoding = tokenizer.Encode("");
        Assert.Equal([tokenizer.Specials.Cls, tokenizer.Specials.Sep], encoding.Ids);
        Assert.Equal("", tokenizer.Decode(encoding.Ids));
    }

    [Theory]
    [InlineData("roberta/vocab.json+merges.txt")]
    [InlineData("roberta/tokenizer.json")]
    public void ByteLevelBpe_DecodesItsOwnIdsBackToTheText(string variant)
    {
        // Byte-level BPE covers every byte, so any well-formed text survives encode then decode (tokenizers' promise).
        var tokenizer = TokenizerFixtures.Get(variant);
        var rng = new Random(1302);
        for (var i = 0; i < Cases; i++)
        {
            var text = i % 5 == 0 ? RandomInputs.Whitespace(rng, 10) : RandomInputs.Unicode(rng, 50);
            if (text.Contains('<')) continue;   // "<mask>", "<s>" written in the text are special tokens, dropped by Decode
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text, addSpecialTokens: false).Ids));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void HugeLine_WithoutNewline_Tokenizes(string variant)
    {
        var tokenizer = TokenizerFixtures.Get(variant);
        var rng = new Random(1303);
        foreach (var unbroken in new[] { false, true })
        {
            var text = RandomInputs.HugeLine(rng, 1 << 18, unbroken);
            var tokens = tokenizer.Tokenize(text);
            Assert.NotEmpty(tokens);
            AssertOffsets(text, tokens.Select(t => (t.Start, t.End)).ToArray());
        }
    }

    private static void AssertOffsets(string text, (int Start, int End)[] offsets)
    {
        var previous = 0;
        foreach (var (start, end) in offsets)
        {
            Assert.True(start >= previous && start <= end && end <= text.Length,
                $"offsets ({start}, {end}) after {previous} are not inside and monotone in a text of {text.Length} units: {Escape(text)}");
            previous = start;
        }
    }

    private static string Escape(string text) => string.Concat(text.Take(200).Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"));
}
