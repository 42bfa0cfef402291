using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class EmbeddingTests
{
    [Fact]
    public void Embedding_PicksRows()
    {
        var w = new Tensor([0f, 1f, 10f, 11f, 20f, 21f], 3, 2);
        var y = Ops.Embedding(w, [2, 0, 2], [1, 3]);
        Assert.Equal(new[] { 1, 3, 2 }, y.Shape);
        Assert.Equal(new float[] { 20, 21, 0, 1, 20, 21 }, y.Data);
    }

    [Fact]
    public void Embedding_RepeatedIdsAccumulate_PaddingRowGetsNone()
    {
        // ids [1, 3, 1, 0, 0] with padding 0: row 1 gets dy₀ + dy₂, row 3 gets dy₁, rows 0, 2, 4 nothing.
        var w = T.Param(1, 5, 2);
        var y = Ops.Embedding(w, [1, 3, 1, 0, 0], [5], paddingIdx: 0);
        y.Backward([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f]);
        Assert.Equal(new float[] { 0, 0, 6, 8, 0, 0, 3, 4, 0, 0 }, w.Grad);
    }

    [Fact]
    public void Embedding_Backward_MatchesFiniteDifferences() =>
        GradCheck.Assert(x => Ops.Embedding(x[0], [2, 1, 2, 4, 0, 2], [2, 3]), [T.Param(2, 5, 4)]);

    [Fact]
    public void Embedding_OutOfRangeId_NamesIt()
    {
        var w = new Tensor(new float[6], 3, 2) { Name = "embeddings.word_embeddings.weight" };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Embedding(w, [0, 3], [2]));
        Assert.Contains("id 3", ex.Message);
        Assert.Contains("embeddings.word_embeddings.weight", ex.Message);
    }
}
