using CogLtx.Tensors;
using CogLtx.Text.Tokenization;

namespace CogLtx.Models.Pretrained;

/// <summary>How token states become one sentence vector (sentence_transformers.models.Pooling modes).</summary>
public enum SentencePooling
{
    /// <summary>pooling_mode_mean_tokens: the mean over tokens with attention mask 1 (all-MiniLM-L6-v2's card).</summary>
    Mean,

    /// <summary>pooling_mode_cls_token: the [CLS] state (snowflake-arctic-embed's card).</summary>
    Cls,
}

/// <summary>
/// Sentence embeddings as the sentence-transformers model cards define them: <c>sentence_transformers.models.Pooling</c>
/// (mean: Σ_t mask_t·h_t / max(Σ_t mask_t, 1e-9), as all-MiniLM-L6-v2; or the [CLS] state, as arctic-embed) followed by
/// <c>models.Normalize</c> (L2, <c>torch.nn.functional.normalize</c> with ε = 1e-12). The encoder runs in eval mode
/// without recording gradients; texts are tokenized one by one (truncated to <see cref="MaxLength"/>) and padded per
/// batch. Query prefixes some cards ask for (arctic-embed's "Represent this sentence for searching relevant
/// passages: ") are the caller's to add.
/// </summary>
public sealed class SentenceEmbedder
{
    /// <summary>Wraps <paramref name="model"/> and <paramref name="tokenizer"/>; <paramref name="maxLength"/> defaults to min(512, the model's limit).</summary>
    public SentenceEmbedder(EncoderModel model, ITokenizer tokenizer, int? maxLength = null, SentencePooling pooling = SentencePooling.Mean)
    {
        Pooling = pooling;
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        if (tokenizer.VocabSize > model.Config.VocabSize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabSize} tokens but the model's vocabulary only {model.Config.VocabSize}", nameof(tokenizer));
        MaxLength = Math.Min(maxLength ?? 512, model.MaxLength);
        if (MaxLength < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), $"max length {MaxLength} leaves no room for [CLS] and [SEP]");
    }

    /// <summary>The encoder.</summary>
    public EncoderModel Model { get; }

    /// <summary>The encoder's tokenizer.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>How token states are pooled into one vector.</summary>
    public SentencePooling Pooling { get; }

    /// <summary>Longest input in tokens, special tokens included.</summary>
    public int MaxLength { get; }

    /// <summary>
    /// Loads a BertModel and its tokenizer from <paramref name="nameOrDirectory"/> (a Hugging Face directory or a
    /// pretrained name, see <see cref="PretrainedModels.Resolve"/>). The MiniLM card truncates at 256 tokens, arctic at 512.
    /// <paramref name="pooling"/> defaults to the catalogue's pooling for a known name, else mean.
    /// </summary>
    public static SentenceEmbedder Load(string nameOrDirectory, int? maxLength = null, SentencePooling? pooling = null, bool fetchIfMissing = true,
        Action<string>? progress = null)
    {
        var dir = PretrainedModels.Resolve(nameOrDirectory, fetchIfMissing, progress);
        var known = Directory.Exists(nameOrDirectory) ? null : PretrainedModels.Find(nameOrDirectory);
        return new SentenceEmbedder(BertModel.Load(dir), TokenizerLoader.Load(dir), maxLength, pooling ?? known?.Pooling ?? SentencePooling.Mean);
    }

    /// <summary>
    /// The model inputs for <paramref name="texts"/>: [CLS] text [SEP], padded by <see cref="BatchPadding"/> with [PAD]
    /// and mask 0 to the longest. Token types are 0, as BERT's and RoBERTa's single-sequence templates give them; a
    /// tokenizer whose template gives a single text another type is rejected rather than silently changed.
    /// </summary>
    public EncoderInput Batch(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var rows = new PaddingRow[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var encoding = Tokenizer.Encode(texts[i], maxLength: MaxLength);
            if (encoding.TypeIds.Any(t => t != 0))
                throw new NotSupportedException($"text {i}: the tokenizer gives a single text token types other than 0, which BatchPadding does not carry");
            rows[i] = new PaddingRow(encoding.Ids);
        }
        return BatchPadding.Pad(rows, Tokenizer.Specials.Pad);
    }

    /// <summary>One unit-length vector (hidden size) per text, in order, encoded <paramref name="batchSize"/> texts at a time.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Model.Eval();
        var result = new List<float[]>(texts.Count);
        using var _ = Autograd.NoGrad();
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var chunk = texts.Skip(start).Take(batchSize).ToList();
            var input = Batch(chunk);
            var hidden = Model.Encode(input).LastHiddenState;
            result.AddRange(Pooling == SentencePooling.Cls ? ClsNormalize(hidden) : MeanPoolNormalize(hidden, input.AttentionMask));
        }
        return result.ToArray();
    }

    /// <summary>One text's embedding.</summary>
    public float[] Embed(string text) => Embed([text])[0];

    /// <summary>The first token's state of each row of <paramref name="lastHiddenState"/> (B, T, H), L2-normalised.</summary>
    public static float[][] ClsNormalize(Tensor lastHiddenState)
    {
        if (lastHiddenState.Shape.Length != 3) throw new ArgumentException($"last_hidden_state must be (B, T, H), found {Shapes.Format(lastHiddenState.Shape)}");
        var (batch, length, hidden) = (lastHiddenState.Shape[0], lastHiddenState.Shape[1], lastHiddenState.Shape[2]);
        var mask = new int[batch * length];
        for (var b = 0; b < batch; b++) mask[b * length] = 1;
        return MeanPoolNormalize(lastHiddenState, mask);
    }

    /// <summary>
    /// Mean over the tokens whose <paramref name="attentionMask"/> is 1 of <paramref name="lastHiddenState"/> (B, T, H),
    /// then L2 normalisation; sentence-transformers' Pooling(mean) + Normalize.
    /// </summary>
    public static float[][] MeanPoolNormalize(Tensor lastHiddenState, int[] attentionMask)
    {
        if (lastHiddenState.Shape.Length != 3) throw new ArgumentException($"last_hidden_state must be (B, T, H), found {Shapes.Format(lastHiddenState.Shape)}");
        var (batch, length, hidden) = (lastHiddenState.Shape[0], lastHiddenState.Shape[1], lastHiddenState.Shape[2]);
        if (attentionMask.Length != batch * length) throw new ArgumentException($"attention mask has {attentionMask.Length} entries, expected {batch}·{length}");
        var data = lastHiddenState.Data;
        var output = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            var sum = new double[hidden];
            double count = 0;
            for (var t = 0; t < length; t++)
            {
                if (attentionMask[b * length + t] == 0) continue;
                count++;
                var row = (b * length + t) * hidden;
                for (var h = 0; h < hidden; h++) sum[h] += data[row + h];
            }
            var mean = sum.Select(s => s / Math.Max(count, 1e-9)).ToArray();
            var norm = Math.Max(Math.Sqrt(mean.Sum(v => v * v)), 1e-12);
            output[b] = mean.Select(v => (float)(v / norm)).ToArray();
        }
        return output;
    }
}
