namespace CogLtx.Text.Tokenization;

/// <summary>One token: vocabulary id, its string form, and its span [Start, End) in UTF-16 code units of the input text.</summary>
public readonly record struct Token(int Id, string Text, int Start, int End);

/// <summary>
/// A tokenizer's full output for one text or pair, Hugging Face style: ids with special tokens, token type ids,
/// and character offsets (special tokens get (0, 0)).
/// </summary>
public sealed record Encoding(int[] Ids, int[] TypeIds, (int Start, int End)[] Offsets, string[] Tokens)
{
    /// <summary>
    /// Which input each token came from: 0 = the text, 1 = the pair, -1 = a special token added by the post-processor
    /// (Hugging Face <c>Encoding.sequence_ids</c>, with <c>None</c> written as -1). Offsets index the text for 0 and the
    /// pair for 1. Null when the producer does not track it.
    /// </summary>
    public int[]? SequenceIds { get; init; }
}

/// <summary>Ids of the special tokens a model needs (BERT: [CLS] [SEP] [PAD] [UNK] [MASK]; RoBERTa: &lt;s&gt; &lt;/s&gt; &lt;pad&gt; &lt;unk&gt; &lt;mask&gt;).</summary>
public sealed record SpecialTokens(int Cls, int Sep, int Pad, int Unk, int Mask);

/// <summary>A subword tokenizer with character offsets (WordPiece or byte-level BPE).</summary>
public interface ITokenizer
{
    /// <summary>Number of ids: the model's vocabulary, or more when added tokens go past it.</summary>
    int VocabSize { get; }

    /// <summary>Ids of the special tokens.</summary>
    SpecialTokens Specials { get; }

    /// <summary>
    /// Subword tokens of <paramref name="text"/> with offsets into it, without the special tokens Encode adds around
    /// sequences (special-token strings written in the text, such as "[MASK]", are still matched as those tokens).
    /// </summary>
    IReadOnlyList<Token> Tokenize(string text);

    /// <summary>Model input for a text or a pair, with special tokens; truncated to <paramref name="maxLength"/> when given.</summary>
    Encoding Encode(string text, string? pair = null, bool addSpecialTokens = true, int? maxLength = null);

    /// <summary>Text for the ids, special tokens dropped.</summary>
    string Decode(IEnumerable<int> ids);

    /// <summary>The token string of <paramref name="id"/>.</summary>
    string IdToToken(int id);

    /// <summary>The id of <paramref name="token"/>, or null when it is not in the vocabulary.</summary>
    int? TokenToId(string token);
}
