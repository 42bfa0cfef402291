namespace CogLtx.Text.Tokenization;

/// <summary>
/// The pipeline both tokenizers share, as Hugging Face <c>TokenizerImpl</c> runs it
/// (<c>tokenizers/src/tokenizer/mod.rs</c>): added tokens are cut out of the raw text first, each piece between them
/// goes through the model-specific <see cref="TokenizeSegment"/> (normalizer, pre-tokenizer, model), then for byte-level
/// tokenizers the offsets are trimmed of white space, and the post-processor adds special tokens and type ids.
/// Offsets are [start, end) in UTF-16 units of the string passed in. Instances are immutable and thread-safe.
/// </summary>
public abstract class SubwordTokenizer : ITokenizer
{
    private readonly AddedTokenMatcher rawMatcher;
    private readonly Dictionary<int, AddedToken> addedById;
    private readonly Dictionary<string, AddedToken> addedByContent;
    private readonly PostProcessor postProcessor;
    private readonly bool trimOffsets;

    private protected SubwordTokenizer(
        IReadOnlyList<AddedToken> addedTokens, bool normalizedTokensMatchRaw, PostProcessor postProcessor,
        SpecialTokens specials, bool trimOffsets, int modelVocabSize)
    {
        AddedTokens = addedTokens;
        addedById = new Dictionary<int, AddedToken>();
        addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        foreach (var token in addedTokens)
        {
            addedById[token.Id] = token;
            addedByContent[token.Content] = token;
        }
        rawMatcher = new AddedTokenMatcher(addedTokens
            .Where(t => !t.Normalized || normalizedTokensMatchRaw)
            .Select(t => (t.Content, t)));
        this.postProcessor = postProcessor;
        this.trimOffsets = trimOffsets;
        Specials = specials;
        VocabSize = Math.Max(modelVocabSize, addedTokens.Count == 0 ? 0 : addedTokens.Max(t => t.Id) + 1);
    }

    /// <summary>Model vocabulary plus added tokens: the number of rows the embedding table needs (transformers' <c>len(tokenizer)</c>).</summary>
    public int VocabSize { get; }

    /// <inheritdoc/>
    public SpecialTokens Specials { get; }

    /// <summary>The added tokens, in the order they were declared.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Token> Tokenize(string text) => TokenizeToList(text);

    /// <summary>
    /// Tokenizes <paramref name="text"/> and <paramref name="pair"/>; with <paramref name="maxLength"/>, truncates
    /// longest-first (as <c>tokenizers</c>' default strategy) so that the result, special tokens included, fits.
    /// A non-null empty <paramref name="pair"/> is a pair with an empty second sequence, as in <c>tokenizers</c>
    /// (transformers' <c>__call__</c> would drop it).
    /// </summary>
    public Encoding Encode(string text, string? pair = null, bool addSpecialTokens = true, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var a = TokenizeToList(text);
        var b = pair is null ? null : TokenizeToList(pair);
        if (maxLength is { } max)
        {
            var specials = addSpecialTokens ? postProcessor.AddedTokens(b is not null) : 0;
            if (max < specials)
                throw new ArgumentOutOfRangeException(nameof(maxLength), max, $"maxLength must leave room for the {specials} special tokens");
            Truncation.Apply(a, b, max - specials);
        }
        return postProcessor.Apply(a, b, addSpecialTokens);
    }

    /// <summary>Text for the ids, special tokens skipped (transformers' <c>decode(ids, skip_special_tokens=True)</c>).</summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            if (addedById.TryGetValue(id, out var added))
            {
                if (!added.Special) tokens.Add(added.Content);
                continue;
            }
            tokens.Add(IdToToken(id));
        }
        return DecodeTokens(tokens);
    }

    /// <inheritdoc/>
    public string IdToToken(int id)
    {
        if (addedById.TryGetValue(id, out var added)) return added.Content;
        return ModelIdToToken(id)
            ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"token id {id} is not in the vocabulary (size {VocabSize})");
    }

    /// <inheritdoc/>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return addedByContent.TryGetValue(token, out var added) ? added.Id : ModelTokenToId(token);
    }

    /// <summary>Appends the tokens of <paramref name="text"/>[start, end), a piece holding no raw-matched added token, with offsets into <paramref name="text"/>.</summary>
    private protected abstract void TokenizeSegment(string text, int start, int end, List<Token> output);

    /// <summary>Joins token strings back into text (the Hugging Face decoder of the model).</summary>
    private protected abstract string DecodeTokens(IReadOnlyList<string> tokens);

    private protected abstract string? ModelIdToToken(int id);

    private protected abstract int? ModelTokenToId(string token);

    private List<Token> TokenizeToList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new List<Token>(text.Length / 4 + 4);
        var matches = new List<AddedTokenMatch>();
        rawMatcher.FindMatches(text, matches);
        var position = 0;
        foreach (var match in matches)
        {
            if (position < match.Start) TokenizeSegment(text, position, match.Start, output);
            var length = match.End - match.Start;
            var surface = length == match.Token.Content.Length ? match.Token.Content : text.Substring(match.Start, length);
            output.Add(new Token(match.Token.Id, surface, match.Start, match.End));
            position = match.End;
        }
        if (position < text.Length) TokenizeSegment(text, position, text.Length, output);
        if (trimOffsets) TrimOffsets(output);
        return output;
    }

    /// <summary>
    /// <c>ByteLevel</c>'s <c>process_offsets</c> (trim_offsets=true, <c>tokenizers/src/pre_tokenizers/byte_level.rs</c>):
    /// leading and trailing 'Ġ' (a byte-level space) or white space in a token's string move its offsets inwards,
    /// never past each other, so that "Ġworld" covers "world" and a lone "Ġ" becomes an empty span.
    /// </summary>
    private static void TrimOffsets(List<Token> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var text = token.Text;
            var leading = 0;
            while (leading < text.Length && IsTrimmable(text[leading])) leading++;
            var trailing = 0;
            while (trailing < text.Length && IsTrimmable(text[text.Length - 1 - trailing])) trailing++;
            if (leading == 0 && trailing == 0) continue;
            var (start, end) = (token.Start, token.End);
            if (leading > 0) start = Math.Min(start + leading, end);
            if (trailing > 0 && end >= trailing) end = Math.Max(end - trailing, start);
            tokens[i] = token with { Start = start, End = end };
        }
    }

    private static bool IsTrimmable(char c) => c == ByteLevel.SpaceSymbol || UnicodeClasses.IsWhiteSpace(c);
}
