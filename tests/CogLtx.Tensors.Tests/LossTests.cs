using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class LossTests
{
    [Fact]
    public void CrossEntropy_HandComputed()
    {
        // Row 0: logits [0, ln 3] target 1 → −ln(3/4); row 1 ignored; mean over one row.
        var y = Ops.CrossEntropy(new Tensor([0f, MathF.Log(3), 5f, 1f], 2, 2), [1, -100]);
        Assert.Equal(-MathF.Log(0.75f), y.Item(), 6);
    }

    [Fact]
    public void CrossEntropy_AllIgnored_IsNaN_WithZeroGradient()
    {
        var x = T.Param(1, 2, 3);
        var y = Ops.CrossEntropy(x, [-100, -100]);
        Assert.True(float.IsNaN(y.Item()));
        y.Backward();
        Assert.All(x.Grad ?? new float[6], g => Assert.Equal(0f, g));
    }

    [Fact]
    public void CrossEntropy_Backward_MatchesFiniteDifferences_WithIgnoreIndex()
    {
        GradCheck.Assert(x => Ops.CrossEntropy(x[0], [2, -100, 0, 3]), [T.Param(2, 4, 5)], eps: 1e-3f);
        GradCheck.Assert(x => Ops.CrossEntropyPerRow(x[0], [2, 7, 0], ignoreIndex: 7), [T.Param(3, 3, 4)], eps: 1e-3f);
    }

    [Fact]
    public void CrossEntropy_BadTarget_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.CrossEntropy(Tensor.Zeros(2, 3), [0, 3]));
        Assert.Contains("target 3 at row 1", ex.Message);
    }

    [Fact]
    public void BceWithLogits_Backward_MatchesFiniteDifferences_MaskedAndPlain()
    {
        var targets = new Tensor([1f, 0f, 0.25f, 1f, 0f, 1f], 2, 3);
        var mask = new Tensor([1f, 1f, 0f, 1f, 0f, 1f], 2, 3);
        GradCheck.Assert(x => Ops.BceWithLogits(x[0], targets, mask), [T.Param(4, 2, 3)], eps: 1e-3f);
        GradCheck.Assert(x => Ops.BceWithLogits(x[0], targets), [T.Param(5, 2, 3)], eps: 1e-3f);
    }

    [Fact]
    public void BceWithLogits_StableAtLargeLogits()
    {
        // x = ±100 with the "right" label costs ~0, with the wrong one ~100; no inf/NaN.
        var y = Ops.BceWithLogits(new Tensor([100f, -100f, 100f], 3), new Tensor([1f, 0f, 0f], 3));
        Assert.Equal(100f / 3, y.Item(), 4);
    }

    [Fact]
    public void CrossEntropy_LargeVocabulary_MatchesDoubleReference()
    {
        // 64 rows × 5000 classes (an MLM-like head): vectorised float rows against a double computation.
        var logits = T.Param(21, 3f, 64, 5000);
        var targets = Enumerable.Range(0, 64).Select(r => r % 5 == 0 ? -100 : r * 77 % 5000).ToArray();
        var loss = Ops.CrossEntropy(logits, targets);
        double total = 0;
        var count = 0;
        var expectedGrad = new double[logits.Size];
        for (var r = 0; r < 64; r++)
        {
            if (targets[r] == -100) continue;
            count++;
            var row = logits.Data.AsSpan(r * 5000, 5000).ToArray();
            var max = row.Max();
            var sum = row.Sum(v => Math.Exp(v - max));
            total -= row[targets[r]] - max - Math.Log(sum);
            for (var i = 0; i < 5000; i++) expectedGrad[r * 5000 + i] = Math.Exp(row[i] - max) / sum - (i == targets[r] ? 1 : 0);
        }
        Assert.Equal(total / count, loss.Item(), 4);
        loss.Backward();
        for (var i = 0; i < logits.Size; i++)
            Assert.True(Math.Abs(logits.Grad![i] - expectedGrad[i] / count) < 1e-7, $"grad[{i}]: {logits.Grad[i]} vs {expectedGrad[i] / count}");
    }

    [Fact]
    public void CrossEntropy_MatchesTorchFixture()
    {
        var f = new SafeTensorsLite(T.Fixture("cross_entropy.safetensors"));
        var logits = T.Of(f.Floats("input.logits"), f.Shape("input.logits"));
        var target = f.Ints("input.target");
        var loss = Ops.CrossEntropy(logits, target);
        Assert.Equal(f.Floats("mean.loss")[0], loss.Item(), 5);
        loss.Backward();
        T.Close(f.Floats("mean.grad"), logits.Grad, 1e-6, "mean.grad");

        T.Close(f.Floats("none.loss"), Ops.CrossEntropyPerRow(logits, target).Data, 1e-5, "none.loss");

        logits.ZeroGrad();
        Ops.Sum(Ops.CrossEntropyPerRow(logits, target)).Backward();
        T.Close(f.Floats("sum.grad"), logits.Grad, 1e-6, "sum.grad");

        var logits3 = T.Of(f.Floats("input.logits3"), 8, 3);
        var loss3 = Ops.CrossEntropy(logits3, f.Ints("input.target3"));
        Assert.Equal(f.Floats("mean3.loss")[0], loss3.Item(), 5);
        loss3.Backward();
        T.Close(f.Floats("mean3.grad"), logits3.Grad, 1e-6, "mean3.grad");

        logits.ZeroGrad();
        var ignored = Ops.CrossEntropy(logits, f.Ints("input.target_all_ignored"));
        Assert.True(float.IsNaN(f.Floats("mean_all_ignored.loss")[0]) && float.IsNaN(ignored.Item()));
        ignored.Backward();
        T.Close(f.Floats("mean_all_ignored.grad"), logits.Grad ?? new float[logits.Size], 0, "mean_all_ignored.grad");
    }

    [Fact]
    public void BceWithLogits_MatchesTorchFixture()
    {
        var f = new SafeTensorsLite(T.Fixture("bce_with_logits.safetensors"));
        var shape = f.Shape("input.logits");
        var logits = T.Of(f.Floats("input.logits"), shape);
        var target = new Tensor(f.Floats("input.target"), shape);
        var mask = new Tensor(f.Floats("input.mask"), shape);

        var masked = Ops.BceWithLogits(logits, target, mask);
        Assert.Equal(f.Floats("masked_mean.loss")[0], masked.Item(), 5);
        masked.Backward();
        T.Close(f.Floats("masked_mean.grad"), logits.Grad, 1e-6, "masked_mean.grad");

        logits.ZeroGrad();
        var mean = Ops.BceWithLogits(logits, target);
        Assert.Equal(f.Floats("mean.loss")[0], mean.Item(), 5);
        mean.Backward();
        T.Close(f.Floats("mean.grad"), logits.Grad, 1e-6, "mean.grad");
    }
}
