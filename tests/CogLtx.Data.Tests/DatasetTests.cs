using CogLtx.Text.Tasks;

namespace CogLtx.Data.Tests;

public sealed class DatasetTests
{
    private static readonly Dataset Data = new("toy", ReasonerTask.MultiLabel, ["a", "b", "c"],
        [new LongDocExample { Id = "x", Text = "t", Labels = ["c", "a"] }], []);

    [Fact]
    public void LabelIds_AreIndicesIntoLabelNames()
    {
        Assert.Equal([2, 0], Data.LabelIds(Data.Train[0]));
        var error = Assert.Throws<KeyNotFoundException>(() => Data.LabelId("d"));
        Assert.Equal("dataset toy: unknown label 'd' (known: a, b, c)", error.Message);
    }

    [Fact]
    public void Label_OnMultiLabelExample_SaysHowManyLabelsItHas()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Data.Train[0].Label);
        Assert.Equal("example x has 2 labels, not exactly one", error.Message);
        Assert.Equal("x: 1 chars, labels [c, a]", Data.Train[0].ToString());
    }

    [Fact]
    public void Slice_OutsideTheText_NamesTheExample()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Data.Train[0].Slice(new Text.Documents.CharSpan(0, 5)));
        Assert.StartsWith("example x: span [0, 5) is outside its text of length 1", error.Message);
    }
}
