using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class SoftmaxTests
{
    [Fact]
    public void Softmax_HandComputed_AndShiftInvariant()
    {
        // softmax([0, ln 2, ln 5]) = [1, 2, 5]/8; adding 1000 changes nothing (max subtraction).
        var expected = new[] { 0.125f, 0.25f, 0.625f };
        T.Close(expected, Ops.Softmax(new Tensor([0f, MathF.Log(2), MathF.Log(5)], 1, 3)).Data, 1e-6);
        T.Close(expected, Ops.Softmax(new Tensor([1000f, 1000f + MathF.Log(2), 1000f + MathF.Log(5)], 1, 3)).Data, 1e-4);
    }

    [Fact]
    public void LogSoftmax_HandComputed()
    {
        var y = Ops.LogSoftmax(new Tensor([0f, MathF.Log(2), MathF.Log(5)], 3));
        T.Close([MathF.Log(0.125f), MathF.Log(0.25f), MathF.Log(0.625f)], y.Data, 1e-6);
    }

    [Fact]
    public void Softmax_FullyMaskedRow_IsUniformAndFinite()
    {
        // Every entry + float.MinValue (torch.finfo.min): the row becomes uniform, as in torch.
        var x = new Tensor([0.3f + float.MinValue, -1.2f + float.MinValue, 2f + float.MinValue, float.MinValue], 1, 4);
        Assert.Equal(new[] { 0.25f, 0.25f, 0.25f, 0.25f }, Ops.Softmax(x).Data);
    }

    [Fact]
    public void Softmax_Backward_MatchesFiniteDifferences() =>
        GradCheck.Assert(x => Ops.Softmax(x[0]), [T.Param(1, 2, 3, 4)], eps: 1e-3f);

    [Fact]
    public void LogSoftmax_Backward_MatchesFiniteDifferences() =>
        GradCheck.Assert(x => Ops.LogSoftmax(x[0]), [T.Param(2, 2, 3, 4)], eps: 1e-3f);
}
