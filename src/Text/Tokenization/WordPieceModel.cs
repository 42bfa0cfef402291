namespace CogLtx.Text.Tokenization;

/// <summary>
/// The WordPiece model (<c>tokenizers/src/models/wordpiece/mod.rs</c>): greedy longest-match-first over a word, pieces
/// after the first looked up with the continuing-subword prefix ("##"); a word with more than
/// <see cref="MaxInputCharsPerWord"/> code points, or with any part no piece covers, becomes the unknown token over the
/// whole word. Lookups take spans of the normalized text (no substring is allocated): pieces after the first are
/// looked up, without their prefix, in a second table holding the prefixed vocabulary entries.
/// </summary>
internal sealed class WordPieceModel
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> wordStarts;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> continuations;

    /// <summary>Longest vocabulary entry (without prefix) in UTF-16 units: no longer candidate can match, so none is tried.</summary>
    private readonly int maxPieceLength;

    public WordPieceModel(IReadOnlyDictionary<string, int> vocab, string unkToken, string continuingSubwordPrefix, int maxInputCharsPerWord)
    {
        Vocab = vocab;
        if (!vocab.TryGetValue(unkToken, out var unkId))
            throw new InvalidDataException($"WordPiece vocabulary has no unknown token '{unkToken}'");
        UnkId = unkId;
        UnkToken = unkToken;
        Prefix = continuingSubwordPrefix;
        MaxInputCharsPerWord = maxInputCharsPerWord;

        var starts = new Dictionary<string, int>(vocab.Count, StringComparer.Ordinal);
        var continued = new Dictionary<string, int>(vocab.Count / 4, StringComparer.Ordinal);
        var size = vocab.Count == 0 ? 0 : vocab.Values.Max() + 1;
        IdToToken = new string[size];
        foreach (var (token, id) in vocab)
        {
            IdToToken[id] = token;
            starts[token] = id;
            if (Prefix.Length > 0 && token.Length > Prefix.Length && token.StartsWith(Prefix, StringComparison.Ordinal))
                continued[token[Prefix.Length..]] = id;
            maxPieceLength = Math.Max(maxPieceLength, token.Length);
        }
        wordStarts = starts.GetAlternateLookup<ReadOnlySpan<char>>();
        continuations = Prefix.Length > 0 ? continued.GetAlternateLookup<ReadOnlySpan<char>>() : wordStarts;
    }

    public IReadOnlyDictionary<string, int> Vocab { get; }

    /// <summary>Token string of each id (ids missing from the vocabulary hold null).</summary>
    public string?[] IdToToken { get; }

    public int UnkId { get; }

    public string UnkToken { get; }

    public string Prefix { get; }

    public int MaxInputCharsPerWord { get; }

    /// <summary>Appends the pieces of the word <paramref name="text"/>.Chars[start, end) with their original offsets.</summary>
    public void TokenizeWord(NormalizedText text, int start, int end, List<Token> output)
    {
        var chars = text.Chars;
        var codePoints = end - start;
        if (codePoints > MaxInputCharsPerWord)
        {
            for (var i = start; i < end; i++)
            {
                if (char.IsLowSurrogate(chars[i])) codePoints--;
            }
        }
        if (codePoints > MaxInputCharsPerWord)
        {
            output.Add(new Token(UnkId, UnkToken, text.Starts[start], text.Ends[end - 1]));
            return;
        }

        var firstPiece = output.Count;
        var pieceStart = start;
        while (pieceStart < end)
        {
            var pieceEnd = Math.Min(end, pieceStart + maxPieceLength);
            if (pieceEnd < end && char.IsLowSurrogate(chars[pieceEnd])) pieceEnd--;
            var id = -1;
            while (pieceEnd > pieceStart)
            {
                var piece = new ReadOnlySpan<char>(chars, pieceStart, pieceEnd - pieceStart);
                var found = pieceStart == start ? wordStarts.TryGetValue(piece, out id) : continuations.TryGetValue(piece, out id);
                if (found) break;
                id = -1;
                // Step back one code point, never into the middle of a surrogate pair.
                pieceEnd -= pieceEnd - pieceStart >= 2 && char.IsLowSurrogate(chars[pieceEnd - 1]) ? 2 : 1;
            }
            if (id < 0)
            {
                output.RemoveRange(firstPiece, output.Count - firstPiece);
                output.Add(new Token(UnkId, UnkToken, text.Starts[start], text.Ends[end - 1]));
                return;
            }
            output.Add(new Token(id, IdToToken[id]!, text.Starts[pieceStart], text.Ends[pieceEnd - 1]));
            pieceStart = pieceEnd;
        }
    }
}
