namespace CogLtx.Text.Tokenization;

/// <summary>
/// BERT's tokenizer, as Hugging Face <c>BertTokenizerFast</c> / the <c>tokenizers</c> pipeline in bert-base's
/// <c>tokenizer.json</c>: <c>BertNormalizer</c> → <c>BertPreTokenizer</c> (split on white space, isolate each
/// punctuation character) → <c>WordPiece</c>, with <c>[CLS] A [SEP] (B [SEP])</c> around it. Special tokens such as
/// [CLS] or [MASK] written in the text are matched as added tokens first (case-sensitively when, as in the hub files,
/// they are not normalized), so "[MASK]" stays one token while "[mask]" is split as text.
/// </summary>
public sealed class WordPieceTokenizer : SubwordTokenizer
{
    private const int MaxRetainedScratch = 1 << 20;

    [ThreadStatic] private static NormalizedText? scratch;
    [ThreadStatic] private static List<AddedTokenMatch>? scratchMatches;

    private readonly WordPieceModel model;
    private readonly BertNormalizer? normalizer;
    private readonly AddedTokenMatcher normalizedMatcher;

    /// <param name="vocab">Token → id (vocab.txt: the line number).</param>
    /// <param name="normalizer">BertNormalizer settings; null for no normalizer.</param>
    /// <param name="addedTokens">Tokens matched before the model: at least the specials.</param>
    /// <param name="specials">Ids the models need.</param>
    /// <param name="postProcessor">How special tokens are added.</param>
    internal WordPieceTokenizer(
        IReadOnlyDictionary<string, int> vocab, BertNormalizerOptions? normalizer, IReadOnlyList<AddedToken> addedTokens,
        SpecialTokens specials, PostProcessor postProcessor, string unkToken = "[UNK]",
        string continuingSubwordPrefix = "##", int maxInputCharsPerWord = 100)
        : base(addedTokens, normalizedTokensMatchRaw: normalizer is null, postProcessor, specials, trimOffsets: false,
            vocab.Count == 0 ? 0 : vocab.Values.Max() + 1)
    {
        model = new WordPieceModel(vocab, unkToken, continuingSubwordPrefix, maxInputCharsPerWord);
        this.normalizer = normalizer is null ? null : new BertNormalizer(normalizer);
        normalizedMatcher = new AddedTokenMatcher(this.normalizer is null
            ? []
            : addedTokens.Where(t => t.Normalized).Select(t => (this.normalizer.NormalizeString(t.Content), t)));
    }

    /// <summary>
    /// A BERT tokenizer from an in-memory vocabulary (the lines of vocab.txt), with the bert-base pipeline and the
    /// specials [CLS] [SEP] [PAD] [UNK] [MASK], which must all be in <paramref name="vocab"/>.
    /// </summary>
    public static WordPieceTokenizer FromVocab(IReadOnlyList<string> vocab, bool lowercase, bool? stripAccents = null)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        var map = new Dictionary<string, int>(vocab.Count, StringComparer.Ordinal);
        for (var i = 0; i < vocab.Count; i++) map[vocab[i]] = i;
        return Create(map, new BertNormalizerOptions(StripAccents: stripAccents, Lowercase: lowercase),
            SpecialTokenNames.Bert, "in-memory vocabulary");
    }

    /// <summary>The bert-base pipeline over <paramref name="vocab"/>; <paramref name="source"/> names the file in errors.</summary>
    internal static WordPieceTokenizer Create(
        IReadOnlyDictionary<string, int> vocab, BertNormalizerOptions normalizer, SpecialTokenNames names, string source)
    {
        var specials = names.Resolve(vocab, source);
        var added = names.All
            .Select(name => new AddedToken(vocab[name], name))
            .DistinctBy(t => t.Id)
            .ToList();
        var post = PostProcessor.Bert(specials.Cls, names.Cls, specials.Sep, names.Sep);
        return new WordPieceTokenizer(vocab, normalizer, added, specials, post, names.Unk);
    }

    private protected override void TokenizeSegment(string text, int start, int end, List<Token> output)
    {
        var normalized = scratch ??= new NormalizedText();
        try
        {
            TokenizeNormalized(text, start, end, normalized, output);
        }
        finally
        {
            // Keep the per-thread buffer for ordinary inputs, not the one a huge document grew.
            if (normalized.Chars.Length > MaxRetainedScratch) scratch = null;
        }
    }

    private void TokenizeNormalized(string text, int start, int end, NormalizedText normalized, List<Token> output)
    {
        if (normalizer is null)
        {
            normalized.Clear(end - start);
            for (var i = start; i < end; i++) normalized.Append(text[i], i, i + 1);
        }
        else
        {
            normalizer.Normalize(text, start, end, normalized);
        }
        if (normalizedMatcher.IsEmpty)
        {
            PreTokenize(normalized, 0, normalized.Length, output);
            return;
        }
        var matches = scratchMatches ??= [];
        matches.Clear();
        normalizedMatcher.FindMatches(normalized.Span, matches);
        var position = 0;
        foreach (var match in matches)
        {
            PreTokenize(normalized, position, match.Start, output);
            var surface = new string(normalized.Chars, match.Start, match.End - match.Start);
            output.Add(new Token(match.Token.Id, surface, normalized.Starts[match.Start], normalized.Ends[match.End - 1]));
            position = match.End;
        }
        PreTokenize(normalized, position, normalized.Length, output);
    }

    /// <summary>
    /// <c>BertPreTokenizer</c>: white space separates words and is dropped; each punctuation character (ASCII
    /// punctuation or Unicode P*) is a word of its own. Each word goes to the WordPiece model.
    /// </summary>
    private void PreTokenize(NormalizedText text, int start, int end, List<Token> output)
    {
        var chars = text.Span;
        var wordStart = -1;
        for (var i = start; i < end;)
        {
            var cp = UnicodeClasses.CodePointAt(chars, i, out var length);
            if (UnicodeClasses.IsWhiteSpace(cp))
            {
                if (wordStart >= 0) model.TokenizeWord(text, wordStart, i, output);
                wordStart = -1;
            }
            else if (UnicodeClasses.IsPunctuation(cp))
            {
                if (wordStart >= 0) model.TokenizeWord(text, wordStart, i, output);
                wordStart = -1;
                model.TokenizeWord(text, i, i + length, output);
            }
            else if (wordStart < 0)
            {
                wordStart = i;
            }
            i += length;
        }
        if (wordStart >= 0) model.TokenizeWord(text, wordStart, end, output);
    }

    /// <summary>
    /// The <c>WordPiece</c> decoder (<c>tokenizers/src/decoders/wordpiece.rs</c>, cleanup on): a token starting with
    /// the prefix is glued to the previous one, any other gets a space before it, then each token is cleaned of the
    /// spaces BERT's basic tokenizer put before punctuation and contractions.
    /// </summary>
    private protected override string DecodeTokens(IReadOnlyList<string> tokens)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (i > 0)
            {
                token = token.StartsWith(model.Prefix, StringComparison.Ordinal) && model.Prefix.Length > 0
                    ? token[model.Prefix.Length..]
                    : " " + token;
            }
            builder.Append(Cleanup(token));
        }
        return builder.ToString();
    }

    private protected override string? ModelIdToToken(int id) =>
        (uint)id < (uint)model.IdToToken.Length ? model.IdToToken[id] : null;

    private protected override int? ModelTokenToId(string token) => model.Vocab.TryGetValue(token, out var id) ? id : null;

    private static string Cleanup(string token) => token
        .Replace(" .", ".", StringComparison.Ordinal)
        .Replace(" ?", "?", StringComparison.Ordinal)
        .Replace(" !", "!", StringComparison.Ordinal)
        .Replace(" ,", ",", StringComparison.Ordinal)
        .Replace(" ' ", "'", StringComparison.Ordinal)
        .Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal)
        .Replace(" do not", " don't", StringComparison.Ordinal)
        .Replace(" 's", "'s", StringComparison.Ordinal)
        .Replace(" 've", "'ve", StringComparison.Ordinal)
        .Replace(" 're", "'re", StringComparison.Ordinal);
}
