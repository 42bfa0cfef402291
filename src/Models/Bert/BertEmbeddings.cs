using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// Word + position + token-type embeddings, then LayerNorm and dropout.
/// Ports transformers <c>models/bert/modeling_bert.py: BertEmbeddings</c> and, with
/// <see cref="BertConfig.UsesRobertaPositions"/>, <c>models/roberta/modeling_roberta.py: RobertaEmbeddings</c>
/// (also what <c>LongformerEmbeddings</c> does). Keys: <c>word_embeddings</c>, <c>position_embeddings</c>,
/// <c>token_type_embeddings</c>, <c>LayerNorm</c>.
/// </summary>
public sealed class BertEmbeddings : Module
{
    private readonly BertConfig config;

    /// <summary>Loads or creates the embeddings under <paramref name="vb"/> (<c>embeddings.*</c>).</summary>
    public BertEmbeddings(BertConfig config, VarBuilder vb, Rng rng)
    {
        this.config = config;
        var std = (float)config.InitializerRange;
        var h = config.HiddenSize;
        WordEmbeddings = Child("word_embeddings", FreshPaddingRowZero(vb.Pp("word_embeddings"),
            v => new Embedding(v, config.VocabSize, h, config.PaddingIdx, std)));
        // BERT's position table has no padding_idx; RoBERTa's has padding_idx = pad (its row is never a real position).
        var positionPadding = config.UsesRobertaPositions ? config.PaddingIdx : -1;
        PositionEmbeddings = Child("position_embeddings", FreshPaddingRowZero(vb.Pp("position_embeddings"),
            v => new Embedding(v, config.MaxPositionEmbeddings, h, positionPadding, std)));
        TokenTypeEmbeddings = Child("token_type_embeddings", new Embedding(vb.Pp("token_type_embeddings"), config.TypeVocabSize, h, -1, std));
        LayerNorm = Child("LayerNorm", new LayerNorm(vb.Pp("LayerNorm"), h, (float)config.LayerNormEps));
        Dropout = Child("dropout", new Dropout((float)config.HiddenDropoutProb, rng));
    }

    /// <summary><c>word_embeddings</c> (V, H).</summary>
    public Embedding WordEmbeddings { get; }
    /// <summary><c>position_embeddings</c> (max_position_embeddings, H).</summary>
    public Embedding PositionEmbeddings { get; }
    /// <summary><c>token_type_embeddings</c> (type_vocab_size, H).</summary>
    public Embedding TokenTypeEmbeddings { get; }
    /// <summary><c>LayerNorm</c> over the summed embeddings.</summary>
    public LayerNorm LayerNorm { get; }
    /// <summary>Dropout after the LayerNorm.</summary>
    public Dropout Dropout { get; }

    /// <summary>
    /// ids, token types and positions are (B, T) row-major → (B, T, H).
    /// Positions default to 0..T−1 (BERT) or to <see cref="RobertaPositionIds"/> (RoBERTa/Longformer).
    /// </summary>
    public Tensor Forward(int[] inputIds, int batch, int length, int[]? tokenTypeIds = null, int[]? positionIds = null)
    {
        var n = batch * length;
        if (inputIds.Length != n) throw new ArgumentException($"input_ids has {inputIds.Length} entries, expected batch {batch} × length {length} = {n}");
        if (tokenTypeIds is not null && tokenTypeIds.Length != n)
            throw new ArgumentException($"token_type_ids has {tokenTypeIds.Length} entries, expected {n}");
        if (positionIds is not null && positionIds.Length != n)
            throw new ArgumentException($"position_ids has {positionIds.Length} entries, expected {n}");
        positionIds ??= config.UsesRobertaPositions
            ? RobertaPositionIds(inputIds, batch, length, config.PaddingIdx)
            : AbsolutePositionIds(batch, length);
        foreach (var p in positionIds)
            if ((uint)p >= (uint)config.MaxPositionEmbeddings)
                throw new ArgumentException(
                    $"position id {p} needs a longer position table: max_position_embeddings is {config.MaxPositionEmbeddings}, " +
                    $"so sequences may have at most {config.MaxLength} tokens (got length {length})");
        if (!Training && !Records()) return Inference(inputIds, tokenTypeIds ?? new int[n], positionIds, batch, length);
        int[] shape = [batch, length];
        var words = WordEmbeddings.Forward(inputIds, shape);
        var types = TokenTypeEmbeddings.Forward(tokenTypeIds ?? new int[n], shape);
        // HF order: (inputs_embeds + token_type_embeddings) + position_embeddings; float addition is not associative.
        var sum = Ops.Add(Ops.Add(words, types), PositionEmbeddings.Forward(positionIds, shape));
        return Dropout.Forward(LayerNorm.Forward(sum));
    }

    /// <summary>True when a gradient could follow: recording is on and some table or the LayerNorm wants one.</summary>
    private bool Records() => Autograd.IsEnabled && Parameters().Any(p => p.RequiresGrad);

    /// <summary>
    /// The eval-mode forward in one pass per row (<see cref="Fused.EmbeddingSumLayerNorm"/>) into the output alone:
    /// none of the autograd path's three gathered tables and two sums is allocated. Dropout is the identity here.
    /// </summary>
    private Tensor Inference(int[] inputIds, int[] tokenTypeIds, int[] positionIds, int batch, int length)
    {
        var h = config.HiddenSize;
        WordEmbeddings.CheckIds(inputIds);
        TokenTypeEmbeddings.CheckIds(tokenTypeIds);
        var output = Tensor.Empty(batch, length, h);
        Fused.EmbeddingSumLayerNorm(WordEmbeddings.Weight.Data, inputIds, TokenTypeEmbeddings.Weight.Data, tokenTypeIds,
            PositionEmbeddings.Weight.Data, positionIds, LayerNorm.Weight.Data, LayerNorm.Bias.Data, LayerNorm.Eps, output.Data);
        return output;
    }

    /// <summary>0, 1, …, T−1 for each row (BERT's <c>position_ids</c> buffer).</summary>
    public static int[] AbsolutePositionIds(int batch, int length)
    {
        var ids = new int[batch * length];
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < length; t++) ids[b * length + t] = t;
        return ids;
    }

    /// <summary>
    /// RoBERTa positions (modeling_roberta.py: <c>create_position_ids_from_input_ids</c>):
    /// pos = cumsum(ids ≠ pad)·(ids ≠ pad) + pad, per row. Real tokens get pad+1, pad+2, …; pad tokens get pad.
    /// Derived from the ids, not from the attention mask.
    /// </summary>
    public static int[] RobertaPositionIds(int[] inputIds, int batch, int length, int pad)
    {
        var ids = new int[batch * length];
        for (var b = 0; b < batch; b++)
        {
            var count = 0;
            for (var t = 0; t < length; t++)
            {
                var i = b * length + t;
                if (inputIds[i] != pad) { count++; ids[i] = count + pad; }
                else ids[i] = pad;
            }
        }
        return ids;
    }

    /// <summary>HF <c>_init_weights</c> zeroes an embedding's padding row; only when the table was freshly created.</summary>
    private static Embedding FreshPaddingRowZero(VarBuilder vb, Func<VarBuilder, Embedding> create)
    {
        var loaded = vb.Contains("weight");
        var e = create(vb);
        if (!loaded && e.PaddingIdx >= 0 && e.PaddingIdx < e.Count)
        {
            var c = e.Weight.Shape[1];
            Array.Clear(e.Weight.Data, e.PaddingIdx * c, c);
        }
        return e;
    }
}
