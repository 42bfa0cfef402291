using CogLtx.Text.Tokenization;

namespace CogLtx.Splitter.Tests;

/// <summary>
/// A whitespace/punctuation tokenizer for tests: every run of letters/digits is a token, every other non-space
/// character is its own token; with <c>newlineTokens</c> each '\n' is a token too; with <c>byteLevelPrefix</c> a token
/// preceded by a space is written "Ġ"+text, as RoBERTa's byte-level BPE does. Ids are assigned on first sight
/// from 10 on; specials are RoBERTa's (&lt;s&gt; 0, &lt;pad&gt; 1, &lt;/s&gt; 2, &lt;unk&gt; 3, &lt;mask&gt; 4).
/// </summary>
internal sealed class FakeTokenizer(bool newlineTokens = false, bool byteLevelPrefix = false) : ITokenizer
{
    private readonly Dictionary<string, int> vocab = new(StringComparer.Ordinal);
    private readonly List<string> names = ["<s>", "<pad>", "</s>", "<unk>", "<mask>", "", "", "", "", ""];

    public int VocabSize => names.Count;

    public SpecialTokens Specials { get; } = new(Cls: 0, Sep: 2, Pad: 1, Unk: 3, Mask: 4);

    public IReadOnlyList<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n' && newlineTokens)
            {
                tokens.Add(Make("\n", i, i + 1, text));
                i++;
            }
            else if (char.IsWhiteSpace(c)) i++;
            else if (char.IsLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsLetterOrDigit(text[i])) i++;
                tokens.Add(Make(text[start..i], start, i, text));
            }
            else
            {
                tokens.Add(Make(c.ToString(), i, i + 1, text));
                i++;
            }
        }
        return tokens;
    }

    public Encoding Encode(string text, string? pair = null, bool addSpecialTokens = true, int? maxLength = null)
    {
        var tokens = Tokenize(text);
        return new Encoding([.. tokens.Select(t => t.Id)], new int[tokens.Count], [.. tokens.Select(t => (t.Start, t.End))], [.. tokens.Select(t => t.Text)]);
    }

    public string Decode(IEnumerable<int> ids) => string.Join(" ", ids.Where(id => id >= 10).Select(IdToToken));

    public string IdToToken(int id) => names[id];

    public int? TokenToId(string token) => vocab.TryGetValue(token, out var id) ? id : null;

    private Token Make(string piece, int start, int end, string text)
    {
        var form = byteLevelPrefix && start > 0 && text[start - 1] == ' ' ? "Ġ" + piece : piece;
        if (!vocab.TryGetValue(form, out var id))
        {
            id = names.Count;
            vocab[form] = id;
            names.Add(form);
        }
        return new Token(id, form, start, end);
    }
}
