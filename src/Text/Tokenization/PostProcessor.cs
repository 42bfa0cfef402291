namespace CogLtx.Text.Tokenization;

/// <summary>
/// Adds special tokens around one sequence or a pair, as a template of pieces (Hugging Face <c>TemplateProcessing</c>,
/// <c>tokenizers/src/processors/template.rs</c>; <c>BertProcessing</c> and <c>RobertaProcessing</c> are fixed
/// templates). Special tokens get offsets (0, 0) and sequence id -1.
/// </summary>
internal sealed class PostProcessor
{
    /// <summary>A template piece: the tokens of sequence A (0) or B (1), or a special token (possibly several ids).</summary>
    internal sealed record Piece(int Sequence, int[] SpecialIds, string[] SpecialTokens, int TypeId)
    {
        public static Piece Of(int sequence, int typeId) => new(sequence, [], [], typeId);

        public static Piece Special(int id, string token, int typeId) => new(-1, [id], [token], typeId);
    }

    private readonly Piece[] single;
    private readonly Piece[] pair;

    public PostProcessor(Piece[] single, Piece[] pair)
    {
        this.single = single;
        this.pair = pair;
    }

    /// <summary>No special tokens: A alone, or A then B with type id 1.</summary>
    public static PostProcessor None { get; } = new([Piece.Of(0, 0)], [Piece.Of(0, 0), Piece.Of(1, 1)]);

    /// <summary>BERT: <c>[CLS] A [SEP]</c> and <c>[CLS] A [SEP] B:1 [SEP]:1</c>.</summary>
    public static PostProcessor Bert(int clsId, string cls, int sepId, string sep) => new(
        [Piece.Special(clsId, cls, 0), Piece.Of(0, 0), Piece.Special(sepId, sep, 0)],
        [Piece.Special(clsId, cls, 0), Piece.Of(0, 0), Piece.Special(sepId, sep, 0), Piece.Of(1, 1), Piece.Special(sepId, sep, 1)]);

    /// <summary>RoBERTa: <c>&lt;s&gt; A &lt;/s&gt;</c> and <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c>, every type id 0.</summary>
    public static PostProcessor Roberta(int clsId, string cls, int sepId, string sep) => new(
        [Piece.Special(clsId, cls, 0), Piece.Of(0, 0), Piece.Special(sepId, sep, 0)],
        [Piece.Special(clsId, cls, 0), Piece.Of(0, 0), Piece.Special(sepId, sep, 0), Piece.Special(sepId, sep, 0),
            Piece.Of(1, 0), Piece.Special(sepId, sep, 0)]);

    /// <summary>Number of special tokens the template adds (HF <c>added_tokens(is_pair)</c>), which truncation must leave room for.</summary>
    public int AddedTokens(bool isPair) => (isPair ? pair : single).Sum(p => p.SpecialIds.Length);

    /// <summary>
    /// Builds the model input. Without special tokens the sequences are concatenated and keep the type ids the
    /// template gives them. Deliberate deviation: <c>tokenizers</c> then gives the pair type id 1 even for RoBERTa,
    /// whose embeddings have a single token type; the template's id (0) is used instead.
    /// </summary>
    public Encoding Apply(IReadOnlyList<Token> a, IReadOnlyList<Token>? b, bool addSpecialTokens)
    {
        var template = b is null ? single : pair;
        var count = a.Count + (b?.Count ?? 0) + (addSpecialTokens ? AddedTokens(b is not null) : 0);
        var ids = new int[count];
        var typeIds = new int[count];
        var offsets = new (int Start, int End)[count];
        var tokens = new string[count];
        var sequenceIds = new int[count];
        var n = 0;
        foreach (var piece in template)
        {
            if (piece.Sequence < 0)
            {
                if (!addSpecialTokens) continue;
                for (var k = 0; k < piece.SpecialIds.Length; k++, n++)
                {
                    ids[n] = piece.SpecialIds[k];
                    tokens[n] = piece.SpecialTokens[k];
                    typeIds[n] = piece.TypeId;
                    sequenceIds[n] = -1;
                }
                continue;
            }
            var source = piece.Sequence == 0 ? a : b!;
            for (var k = 0; k < source.Count; k++, n++)
            {
                var token = source[k];
                ids[n] = token.Id;
                tokens[n] = token.Text;
                offsets[n] = (token.Start, token.End);
                typeIds[n] = piece.TypeId;
                sequenceIds[n] = piece.Sequence;
            }
        }
        return new Encoding(ids, typeIds, offsets, tokens) { SequenceIds = sequenceIds };
    }
}

/// <summary>
/// Truncation to a token budget, as <c>tokenizers/src/utils/truncation.rs</c> (strategy longest_first, direction right,
/// no stride), which is what transformers' <c>AutoTokenizer</c> runs (checked against transformers 5.12.1:
/// tests/fixtures/tokenizers/truncation_check.py). transformers' Python tokenizers (<c>PythonBackend.truncate_sequences</c>,
/// e.g. <c>BertTokenizerLegacy</c>) differ in one case: with both texts over half an odd budget they give the extra
/// token to the first text, where tokenizers gives it to the longer one (the second on a tie).
/// </summary>
internal static class Truncation
{
    /// <summary>
    /// Cuts <paramref name="a"/> (and <paramref name="b"/>) so that together they hold at most <paramref name="budget"/>
    /// tokens. For a pair, with n1 the shorter and n2 the longer length: if both fit, nothing changes; if the shorter
    /// fits in half the budget, the longer gets the rest (n2 = max(n1, budget - n1)); otherwise the shorter gets
    /// budget/2 and the longer budget/2 + budget%2.
    /// </summary>
    public static void Apply(List<Token> a, List<Token>? b, int budget)
    {
        if (budget < 0) throw new ArgumentOutOfRangeException(nameof(budget), budget, "token budget must not be negative");
        var total = a.Count + (b?.Count ?? 0);
        if (total <= budget) return;
        if (b is null)
        {
            a.RemoveRange(budget, a.Count - budget);
            return;
        }
        var swap = a.Count > b.Count;
        var n1 = swap ? b.Count : a.Count;
        var n2 = n1 > budget ? n1 : Math.Max(n1, budget - n1);
        if (n1 + n2 > budget)
        {
            n1 = budget / 2;
            n2 = n1 + budget % 2;
        }
        var (lengthA, lengthB) = swap ? (n2, n1) : (n1, n2);
        if (a.Count > lengthA) a.RemoveRange(lengthA, a.Count - lengthA);
        if (b.Count > lengthB) b.RemoveRange(lengthB, b.Count - lengthB);
    }
}
