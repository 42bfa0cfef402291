using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner.Tests;

public sealed class ReasonerTargetsTests
{
    // HotpotQA-style query: <s> yes no q1 q2 </s>
    private static Block Query(int? start = null, int? end = null, int? label = null) =>
        new([0, 50, 51, 60, 61, 2], 1, BlockKind.Query) { AnswerStart = start, AnswerEnd = end, Label = label };

    private static Block Doc(long pos, int? start = null, int? end = null) =>
        new([10 + (int)pos, 20 + (int)pos, 30 + (int)pos, 2], pos) { AnswerStart = start, AnswerEnd = end };

    [Fact]
    public void Span_AnswerInZ_IsBlockOffsetPlusIndex()
    {
        // query 6 tokens, doc 2 at [6,10), doc 3 at [10,14): start in doc 2 index 1 → 7; end in doc 3 index 2 → 12
        var input = AssembledInput.From([Query(), Doc(2, start: 1), Doc(3, end: 2)]);
        Assert.Equal((7, 12), ReasonerTargets.Span(input));
        Assert.Equal([true, true, true], ReasonerTargets.Crucial(input, ReasonerTask.SpanQa));
    }

    [Fact]
    public void Span_AnswerNotInZ_TargetsPositionZero()
    {
        var input = AssembledInput.From([Query(), Doc(4), Doc(5)]);
        Assert.Equal((0, 0), ReasonerTargets.Span(input));
        Assert.Equal([true, false, false], ReasonerTargets.Crucial(input, ReasonerTask.SpanQa));
    }

    [Fact]
    public void Span_OnlyStartCarrierPresent_EndFallsToZero()
    {
        // The answer crosses into a block that was not selected: start found, end not (the reference does the same).
        var input = AssembledInput.From([Query(), Doc(2, start: 3)]);
        Assert.Equal((9, 0), ReasonerTargets.Span(input));
    }

    [Theory]
    [InlineData(1, 1)]   // yes
    [InlineData(2, 2)]   // no
    public void Span_YesNoSlots_AreQueryPositions(int slot, int expected)
    {
        var input = AssembledInput.From([Query(slot, slot), Doc(2), Doc(3)]);
        Assert.Equal((expected, expected), ReasonerTargets.Span(input));
    }

    [Fact]
    public void Span_SeveralCarriers_LastWins()
    {
        var input = AssembledInput.From([Query(), Doc(2, 0, 0), Doc(3, 1, 1)]);
        Assert.Equal((11, 11), ReasonerTargets.Span(input));
    }

    [Fact]
    public void Label_ComesFromTheQueryBlock_CrucialIsQueryOnly()
    {
        var input = AssembledInput.From([Query(label: 7), Doc(2, 0, 0)]);
        Assert.Equal(7, ReasonerTargets.Label(input));
        Assert.Equal([true, false], ReasonerTargets.Crucial(input, ReasonerTask.Classification));
        var unlabeled = AssembledInput.From([Query(), Doc(2)]);
        Assert.Contains("query block carrying a label", Assert.Throws<InvalidOperationException>(() => ReasonerTargets.Label(unlabeled)).Message);
    }

    [Fact]
    public void Batch_PadsAndRecordsRealLengths()
    {
        var a = AssembledInput.From([Query(), Doc(2, 1, 2)]);
        var b = AssembledInput.From([Query(), Doc(3), Doc(4)]);
        var batch = ReasonerBatch.Create([a, b], ReasonerTask.SpanQa, padId: 1);
        Assert.Equal((2, 14), (batch.Input.Batch, batch.Input.Length));
        Assert.Equal([10, 14], batch.RealLengths);
        Assert.Equal([7, 0], batch.StartTargets);
        Assert.Equal([8, 0], batch.EndTargets);
        Assert.Equal(1, batch.Input.InputIds[13]);
        Assert.Equal(0, batch.Input.AttentionMask[10]);
    }
}
