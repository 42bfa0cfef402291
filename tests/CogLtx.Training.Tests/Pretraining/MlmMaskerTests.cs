using CogLtx.Tensors;
using CogLtx.Text.Tokenization;
using CogLtx.Training.Pretraining;

namespace CogLtx.Training.Tests.Pretraining;

public sealed class MlmMaskerTests
{
    private const int Vocab = 1000;
    private const int Cls = 0, Sep = 1, Pad = 2, MaskId = 3;
    private const int Length = 128, Padding = 20;

    private static MlmMasker Masker(MaskingOptions? options = null) => new(options ?? new MaskingOptions(), MaskId, Vocab, [Cls, Sep, Pad]);

    /// <summary>[CLS] 106 random ids [SEP] then 20 pads, drawn from a seeded stream.</summary>
    private static (int[] Ids, int[] Attention) Sequence(Rng rng)
    {
        var ids = new int[Length];
        var attention = new int[Length];
        var end = Length - Padding;
        ids[0] = Cls;
        for (var i = 1; i < end - 1; i++) ids[i] = rng.NextInt(4, Vocab);
        ids[end - 1] = Sep;
        for (var i = end; i < Length; i++) ids[i] = Pad;
        Array.Fill(attention, 1, 0, end);
        return (ids, attention);
    }

    /// <summary>|observed − p| within 4.5 binomial standard deviations.</summary>
    private static void AssertProportion(double p, long hits, long n, string what)
    {
        var sigma = Math.Sqrt(p * (1 - p) / n);
        var observed = (double)hits / n;
        Assert.True(Math.Abs(observed - p) <= 4.5 * sigma, $"{what}: {observed:0.00000} over {n}, expected {p} ± {4.5 * sigma:0.00000}");
    }

    [Fact]
    public void Mask_LargeSample_Chooses15Percent_Then80Mask10Random10Kept_AndNeverSpecialsOrPadding()
    {
        var masker = Masker();
        var data = new Rng(5);
        long eligible = 0, chosen = 0, masked = 0, random = 0, kept = 0;
        for (var s = 0; s < 3000; s++)
        {
            var (ids, attention) = Sequence(data);
            var m = masker.Mask(ids, attention, [], MlmMasker.StreamFor(11, 0, s));
            for (var i = 0; i < Length; i++)
            {
                var special = ids[i] is Cls or Sep or Pad;
                if (special)
                {
                    Assert.Equal(MlmMasker.Ignore, m.Labels[i]);
                    Assert.Equal(ids[i], m.InputIds[i]);
                    continue;
                }
                eligible++;
                if (m.Labels[i] == MlmMasker.Ignore) { Assert.Equal(ids[i], m.InputIds[i]); continue; }
                Assert.Equal(ids[i], m.Labels[i]);
                chosen++;
                if (m.InputIds[i] == MaskId) masked++;
                else if (m.InputIds[i] == ids[i]) kept++;
                else
                {
                    random++;
                    Assert.True(m.InputIds[i] >= 4, $"random replacement {m.InputIds[i]} is a special token");
                }
            }
        }
        AssertProportion(0.15, chosen, eligible, "chosen");
        AssertProportion(0.8, masked, chosen, "[MASK]");
        // A random draw equals the original with probability 1/996, which then counts as kept.
        AssertProportion(0.1 * (1 - 1.0 / 996), random, chosen, "random");
        AssertProportion(0.1 + 0.1 / 996, kept, chosen, "kept");
    }

    [Fact]
    public void StreamFor_SameSeedGivesSameMasks_AnotherEpochOrSeedGivesOthers()
    {
        var masker = Masker();
        var (ids, attention) = Sequence(new Rng(1));
        MaskedSequence Draw(ulong seed, int epoch) => masker.Mask(ids, attention, [], MlmMasker.StreamFor(seed, epoch, 42));
        var first = Draw(3, 0);
        Assert.Equal(first.InputIds, Draw(3, 0).InputIds);
        Assert.Equal(first.Labels, Draw(3, 0).Labels);
        Assert.NotEqual(first.Labels, Draw(3, 1).Labels);
        Assert.NotEqual(first.Labels, Draw(4, 0).Labels);
        Assert.NotEqual(first.Labels, masker.Mask(ids, attention, [], MlmMasker.StreamFor(3, 0, 43)).Labels);
    }

    [Fact]
    public void Mask_NothingDrawn_StillChoosesOneEligibleToken()
    {
        // Two real tokens: with p = 0.15 most draws choose neither; every sequence must still carry a label.
        var masker = Masker();
        for (var s = 0; s < 200; s++)
        {
            var m = masker.Mask([Cls, 10, 11, Sep, Pad], [1, 1, 1, 1, 0], [], MlmMasker.StreamFor(1, 0, s));
            Assert.InRange(m.Labels.Count(l => l != MlmMasker.Ignore), 1, 2);
            Assert.Equal(MlmMasker.Ignore, m.Labels[0]);
            Assert.Equal(MlmMasker.Ignore, m.Labels[4]);
        }
    }

    [Fact]
    public void WholeWord_RealWordPiece_ChoosesEveryPieceOfAWordOrNone()
    {
        var tokenizer = TokenizerLoader.Load(Path.Combine(HuggingFaceLayout.RepoRoot, "tests", "fixtures", "tokenizers", "bert-base-uncased"));
        const string text = "Unbelievably, the antidisestablishmentarianism debate overshadowed photosynthesis and electroencephalography.";
        var corpus = PackedCorpus.Build(Enumerable.Repeat(new CorpusDocument(text, "test", 1), 40), tokenizer, 64, 0.1);
        var s = tokenizer.Specials;
        var masker = new MlmMasker(new MaskingOptions { WholeWord = true }, s.Mask, tokenizer.VocabSize, [s.Cls, s.Sep, s.Pad]);
        var sequence = corpus.Train[0];
        var pieces = sequence.Ids.Select(tokenizer.IdToToken).ToArray();
        for (var i = 1; i < pieces.Length; i++)
            if (pieces[i].StartsWith("##", StringComparison.Ordinal)) Assert.False(sequence.WordStarts[i], $"{pieces[i]} at {i} starts a word");
        var multiPieceChosen = 0;
        for (var draw = 0; draw < 300; draw++)
        {
            var m = masker.Mask(sequence.Ids, sequence.AttentionMask, sequence.WordStarts, MlmMasker.StreamFor(2, draw, 0));
            for (var i = 1; i < pieces.Length; i++)
            {
                if (!pieces[i].StartsWith("##", StringComparison.Ordinal)) continue;
                Assert.Equal(m.Labels[i - 1] != MlmMasker.Ignore, m.Labels[i] != MlmMasker.Ignore);
                if (m.Labels[i] != MlmMasker.Ignore) multiPieceChosen++;
            }
        }
        Assert.True(multiPieceChosen > 0, "no multi-piece word was ever chosen");
    }

    [Fact]
    public void Options_OutOfRange_AreRejectedWithTheirValues()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Masker(new MaskingOptions { MaskFraction = 0.95, RandomFraction = 0.1 }));
        Assert.Contains("0.95", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Masker(new MaskingOptions { Probability = 0 }));
    }
}
