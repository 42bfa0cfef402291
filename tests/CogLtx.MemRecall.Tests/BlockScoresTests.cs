using CogLtx.Text.Documents;

namespace CogLtx.MemRecall.Tests;

public sealed class BlockScoresTests
{
    [Fact]
    public void BlockScore_IsMeanOverItsTokensIncludingSeparator_QueryIsOne()
    {
        // Q = 3 tokens, D1 = 3 tokens (2 + SEP), D2 = 2 tokens. Token scores: Q ignored; D1 (.2 + .4 + .9)/3 = .5; D2 (.1 + .3)/2 = .2.
        var input = new BlockBuffer([Blocks.Make(1, 3, BlockKind.Query), Blocks.Make(2, 3), Blocks.Make(3, 2)]).Assemble();
        var scores = BlockScores.FromTokens(input, [0f, 0f, 0f, .2f, .4f, .9f, .1f, .3f]);
        Assert.Equal(1f, scores[0]);
        Assert.Equal(.5f, scores[1], 1e-6f);
        Assert.Equal(.2f, scores[2], 1e-6f);
    }

    [Fact]
    public void FirstBlockNotQuery_StartsAtTokenZero_NoNaN()
    {
        // The reference reads block 0 as ends[-1]:ends[0] (empty → NaN) when no query leads; spec §9.13 guards it.
        var input = new BlockBuffer([Blocks.Make(2, 2), Blocks.Make(3, 2)]).Assemble();
        var scores = BlockScores.FromTokens(input, [.2f, .6f, 1f, 0f]);
        Assert.Equal([.4f, .5f], scores.Select(s => MathF.Round(s, 6)));
    }

    [Fact]
    public void TooFewTokenScores_IsAClearError()
    {
        var input = new BlockBuffer([Blocks.Make(2, 3)]).Assemble();
        Assert.Contains("2 token scores for an input of 3", Assert.Throws<ArgumentException>(() => BlockScores.FromTokens(input, [.1f, .2f])).Message);
    }
}
