using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;

namespace CogLtx.Baselines.Tests;

/// <summary>Tiny from-scratch reasoners and examples for baseline tests (vocabulary of 40 ids; 0–4 special).</summary>
internal static class TinyModels
{
    public static readonly SpecialTokens Specials = new(Cls: 2, Sep: 3, Pad: 0, Unk: 1, Mask: 4);

    /// <summary>BERT L1 H16 A2, 64 positions, dropout off unless asked.</summary>
    public static BertConfig Config(int maxLength = 64, double dropout = 0.0) =>
        BertConfig.Scratch(40, layers: 1, hidden: 16, heads: 2, intermediate: 32, maxLength: maxLength) with
        {
            HiddenDropoutProb = dropout,
            AttentionProbsDropoutProb = dropout,
        };

    public static ReasonerModel Reasoner(ReasonerTask task, int numLabels = 3, ulong seed = 1, int maxLength = 64, double dropout = 0.0) =>
        ReasonerModel.Create(Config(maxLength, dropout), task, numLabels, VarBuilder.Fresh(new Rng(seed)), new Rng(seed + 100));

    /// <summary>A document of <paramref name="length"/> ids drawn from [5, 40).</summary>
    public static int[] Document(int length, ulong seed)
    {
        var rng = new Rng(seed);
        return [.. Enumerable.Range(0, length).Select(_ => rng.NextInt(5, 40))];
    }
}
