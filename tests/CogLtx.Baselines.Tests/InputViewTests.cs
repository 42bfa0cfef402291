using CogLtx.Reasoner.Decoding;
using CogLtx.Text.Tasks;

namespace CogLtx.Baselines.Tests;

public sealed class InputViewTests
{
    private static readonly BaselineExample Qa = new("q1", [20, 21], [10, 11, 12, 13, 14, 15, 16, 17])
    {
        Answer = new AnswerTarget(3, 4),
        QuerySlots = new Dictionary<int, AnswerKind> { [0] = AnswerKind.Yes },
    };

    [Fact]
    public void Build_LaysOutClsQuerySepDocumentSep_AndMapsPositions()
    {
        var view = InputView.Build(Qa, [2, 3, 4], TinyModels.Specials);
        // [CLS] 20 21 [SEP] 12 13 14 [SEP]
        Assert.Equal([2, 20, 21, 3, 12, 13, 14, 3], view.Ids);
        Assert.Equal(4, view.QueryLength);
        Assert.Equal([-1, -1, -1, -1, 2, 3, 4, -1], view.DocumentIndex);
        Assert.Equal(3, view.DocumentTokens);
        Assert.Equal(AnswerKind.Yes, view.Slots[1]);
        Assert.Equal(7, view.Layout.Length);
    }

    [Fact]
    public void Target_AnswerInside_PointsAtItsPositions()
    {
        var view = InputView.Build(Qa, [2, 3, 4], TinyModels.Specials);
        Assert.Equal((5, 6), view.Target(Qa.Answer!.Value));
    }

    [Fact]
    public void Target_AnswerPartlyOutside_PointsAtCls()
    {
        var view = InputView.Build(Qa, [0, 1, 2, 3], TinyModels.Specials);
        Assert.Equal((0, 0), view.Target(Qa.Answer!.Value));
    }

    [Fact]
    public void Target_AnswerStraddlingTheHeadTailCut_PointsAtCls()
    {
        // Tokens 0..3 then 6, 7: the answer 3..4 loses token 4.
        var view = InputView.Build(Qa, [0, 1, 2, 3, 6, 7], TinyModels.Specials);
        Assert.Equal((0, 0), view.Target(Qa.Answer!.Value));
    }

    [Fact]
    public void Target_QuerySlot_PointsPastCls()
    {
        var view = InputView.Build(Qa, [0], TinyModels.Specials);
        Assert.Equal((1, 1), view.Target(AnswerTarget.Slot(0)));
    }

    [Fact]
    public void Build_ClassificationWithoutQuery_StartsClsSep()
    {
        var view = InputView.Build(new BaselineExample("c", [], [7, 8]), [0, 1], TinyModels.Specials);
        Assert.Equal([2, 3, 7, 8, 3], view.Ids);
    }

    [Fact]
    public void Build_IndexOutsideDocument_NamesTheExample()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => InputView.Build(Qa, [8], TinyModels.Specials));
        Assert.Contains("q1", e.Message);
    }
}
