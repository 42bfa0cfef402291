using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

public sealed class LayersTests
{
    private static VarBuilder Weights(params (string Key, Tensor Value)[] tensors) =>
        VarBuilder.FromTensors(tensors.ToDictionary(t => t.Key, t => t.Value), "hand weights");

    [Fact]
    public void Linear_Forward_IsXTimesWTransposedPlusBias()
    {
        // W (out 3, in 2) = [[1,2],[3,4],[5,6]], b = [0.5,−1,0]; x = [[1,−1],[2,0]]
        // y₀ = [1−2+0.5, 3−4−1, 5−6] = [−0.5, −2, −1]; y₁ = [2+0.5, 6−1, 10] = [2.5, 5, 10]
        var linear = new Linear(Weights(("weight", new Tensor([1f, 2f, 3f, 4f, 5f, 6f], 3, 2)), ("bias", new Tensor([0.5f, -1f, 0f], 3))), 2, 3);
        var x = new Tensor([1f, -1f, 2f, 0f], 2, 2);
        var y = linear.Forward(x);
        Assert.Equal([2, 3], y.Shape);
        Assert.Equal([-0.5f, -2f, -1f, 2.5f, 5f, 10f], y.Data);
        Assert.Equal(2, linear.InFeatures);
        Assert.Equal(3, linear.OutFeatures);

        // d Σy / dW[o] = Σ_rows x = [3, −1] for every o; d Σy / db = number of rows = 2.
        Ops.Sum(y).Backward();
        Assert.Equal([3f, -1f, 3f, -1f, 3f, -1f], linear.Weight.Grad!);
        Assert.Equal([2f, 2f, 2f], linear.Bias!.Grad!);
    }

    [Fact]
    public void Linear_WithoutBias_HasNoBiasParameter()
    {
        var linear = new Linear(Weights(("weight", new Tensor([2f, -1f], 1, 2))), 2, 1, bias: false);
        Assert.Null(linear.Bias);
        Assert.Equal(["weight"], linear.NamedParameters().Select(p => p.Name));
        Assert.Equal([1f], linear.Forward(new Tensor([1f, 1f], 1, 2)).Data);
    }

    [Fact]
    public void LayerNorm_Forward_NormalisesTheLastAxisThenScalesAndShifts()
    {
        // x = [1,2,3,4]: mean 2.5, biased var 1.25; eps 0.75 → rstd = 1/√2; x̂ = [−1.5,−0.5,0.5,1.5]/√2.
        // weight [1,2,1,1], bias [0,0,1,0] → [−1.06066, −0.70711, 1.35355, 1.06066]
        var norm = new LayerNorm(Weights(("weight", new Tensor([1f, 2f, 1f, 1f], 4)), ("bias", new Tensor([0f, 0f, 1f, 0f], 4))), 4, 0.75f);
        var y = norm.Forward(new Tensor([1f, 2f, 3f, 4f, 5f, 5f, 5f, 5f], 2, 4));
        var s = 1 / MathF.Sqrt(2);
        Close.All([-1.5f * s, -1f * s, 0.5f * s + 1, 1.5f * s, 0, 0, 1, 0], y.Data, 0, 1e-6, "LayerNorm output");
    }

    [Fact]
    public void Embedding_Forward_GathersRows_AndThePaddingRowGetsNoGradient()
    {
        // row i = [i, 10·i]; ids [[3,0],[1,3]] → [[[3,30],[0,0]],[[1,10],[3,30]]]
        var emb = new Embedding(Weights(("weight", new Tensor([0f, 0f, 1f, 10f, 2f, 20f, 3f, 30f], 4, 2))), 4, 2, paddingIdx: 0);
        var y = emb.Forward([3, 0, 1, 3], [2, 2]);
        Assert.Equal([2, 2, 2], y.Shape);
        Assert.Equal([3f, 30f, 0f, 0f, 1f, 10f, 3f, 30f], y.Data);
        Ops.Sum(y).Backward();
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f, 2f, 2f], emb.Weight.Grad!);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => emb.Forward([4], [1]));
        Assert.Contains("id 4 outside the embedding table of 4 rows (weight)", e.Message);
    }

    [Fact]
    public void Dropout_IsIdentityInEvalAndSeededInTraining()
    {
        var x = Tensor.Ones(1000);
        var eval = new Dropout(0.5f, new Rng(1));
        eval.Eval();
        Assert.Equal(x.Data, eval.Forward(x).Data);

        var a = new Dropout(0.5f, new Rng(2)).Forward(x).Data;
        var b = new Dropout(0.5f, new Rng(2)).Forward(x).Data;
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(a.Count(v => v == 0f), 400, 600);
    }
}
