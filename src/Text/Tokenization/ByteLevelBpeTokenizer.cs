namespace CogLtx.Text.Tokenization;

/// <summary>
/// RoBERTa's tokenizer (GPT-2 byte-level BPE), as the <c>tokenizers</c> pipeline in roberta-base's
/// <c>tokenizer.json</c>: no normalizer, <c>ByteLevel(add_prefix_space=false, use_regex=true)</c> pre-tokenizer, BPE,
/// and <c>RobertaProcessing(trim_offsets=true)</c>: <c>&lt;s&gt; A &lt;/s&gt;</c>, pairs
/// <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c>, every type id 0. The added tokens &lt;s&gt; &lt;pad&gt; &lt;/s&gt;
/// &lt;unk&gt; &lt;mask&gt; are matched in the text first; &lt;mask&gt; has lstrip, so "Hello &lt;mask&gt;!" gives
/// the token " &lt;mask&gt;" and the space before it is not a separate "Ġ". Offsets are trimmed of the spaces a
/// token carries ("Ġworld" covers "world").
/// </summary>
public sealed class ByteLevelBpeTokenizer : SubwordTokenizer
{
    private readonly BpeModel model;

    internal ByteLevelBpeTokenizer(
        BpeModel model, IReadOnlyList<AddedToken> addedTokens, SpecialTokens specials, PostProcessor postProcessor, bool trimOffsets)
        : base(addedTokens, normalizedTokensMatchRaw: true, postProcessor, specials, trimOffsets, model.IdToToken.Length)
    {
        this.model = model;
    }

    /// <summary>Number of merge rules.</summary>
    public int MergeCount => model.MergeCount;

    /// <summary>
    /// A RoBERTa tokenizer from an in-memory vocabulary and merges (merges.txt lines without the header, "left right"),
    /// with the roberta-base pipeline and specials &lt;s&gt; &lt;/s&gt; &lt;pad&gt; &lt;unk&gt; &lt;mask&gt;.
    /// </summary>
    public static ByteLevelBpeTokenizer FromVocab(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<string> merges)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        var rules = new List<(string, string)>(merges.Count);
        for (var i = 0; i < merges.Count; i++)
        {
            var parts = merges[i].Split(' ');
            if (parts.Length != 2) throw new ArgumentException($"merge {i} ('{merges[i]}') is not two symbols separated by one space", nameof(merges));
            rules.Add((parts[0], parts[1]));
        }
        var model = new BpeModel(vocab, rules, "in-memory vocabulary", i => $"in-memory merge {i}");
        return CreateRoberta(model, SpecialTokenNames.Roberta, "in-memory vocabulary");
    }

    /// <summary>The roberta-base pipeline over <paramref name="model"/>: specials as added tokens, &lt;mask&gt; with lstrip.</summary>
    internal static ByteLevelBpeTokenizer CreateRoberta(BpeModel model, SpecialTokenNames names, string source)
    {
        var specials = names.Resolve(model.Vocab, source);
        var added = new List<AddedToken>();
        foreach (var name in names.All.Distinct())
        {
            var id = model.Vocab[name];
            added.Add(new AddedToken(id, name, LStrip: name == names.Mask, Normalized: name != names.Mask));
        }
        var post = PostProcessor.Roberta(specials.Cls, names.Cls, specials.Sep, names.Sep);
        return new ByteLevelBpeTokenizer(model, added, specials, post, trimOffsets: true);
    }

    private protected override void TokenizeSegment(string text, int start, int end, List<Token> output)
    {
        var segment = text.AsSpan(start, end - start);
        var position = 0;
        while (position < segment.Length)
        {
            var next = ByteLevel.NextPreTokenEnd(segment, position);
            model.TokenizeWord(text, start + position, start + next, output);
            position = next;
        }
    }

    /// <summary>
    /// The <c>ByteLevel</c> decoder: token symbols back to bytes, then UTF-8 (invalid sequences become U+FFFD). A token
    /// with a character outside the byte alphabet (an added token's content) contributes its own UTF-8 bytes.
    /// </summary>
    private protected override string DecodeTokens(IReadOnlyList<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            var isSymbols = token.All(c => c < ByteLevel.CharToByte.Length && ByteLevel.CharToByte[c] >= 0);
            if (isSymbols)
            {
                foreach (var c in token) bytes.Add((byte)ByteLevel.CharToByte[c]);
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(token));
            }
        }
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    private protected override string? ModelIdToToken(int id) =>
        (uint)id < (uint)model.IdToToken.Length ? model.IdToToken[id] : null;

    private protected override int? ModelTokenToId(string token) => model.Vocab.TryGetValue(token, out var id) ? id : null;
}
