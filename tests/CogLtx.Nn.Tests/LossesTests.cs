using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

/// <summary>tests/fixtures/losses: torch's F.cross_entropy and F.binary_cross_entropy_with_logits, values and d loss/d logits.</summary>
public sealed class LossesTests
{
    private const double Rtol = 1e-5, Atol = 1e-6;

    private static readonly SafeTensorsFile Ce = SafeTensors.Read(TestPaths.Fixture("losses/cross_entropy.safetensors"));
    private static readonly SafeTensorsFile Bce = SafeTensors.Read(TestPaths.Fixture("losses/bce_with_logits.safetensors"));

    [Theory]
    [InlineData("mean", Reduction.Mean)]
    [InlineData("sum", Reduction.Sum)]
    public void CrossEntropy_MatchesTorch_LossAndGradient(string key, Reduction reduction)
    {
        var logits = Leaf(Ce.GetFloat("input.logits"));
        var loss = Losses.CrossEntropy(logits, Ce.GetInt64("input.target"), reduction);
        Close.All(Ce.GetFloat($"{key}.loss").Data, loss.Data, Rtol, Atol, $"{key}.loss");
        loss.Backward();
        Close.All(Ce.GetFloat($"{key}.grad").Data, logits.Grad, Rtol, Atol, $"{key}.grad");
        var ignored = Ce.GetInt64("input.target").Select((t, i) => (t, i)).Where(x => x.t == -100).Select(x => x.i);
        foreach (var row in ignored) Assert.All(logits.Grad!.AsSpan(row * 5, 5).ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void CrossEntropy_NoReduction_MatchesTorchPerRowWithZerosAtIgnoredRows()
    {
        var loss = Losses.CrossEntropy(Ce.GetFloat("input.logits"), Ce.GetInt64("input.target"), Reduction.None);
        Assert.Equal([6], loss.Shape);
        Close.All(Ce.GetFloat("none.loss").Data, loss.Data, Rtol, Atol, "none.loss");
    }

    [Fact]
    public void CrossEntropy_TokenLayout_FlattensLeadingDimsAsTorchView()
    {
        // logits3 [2, 4, 3] against target3 [2, 4] = F.cross_entropy(logits3.view(-1, 3), target3.view(-1)).
        var logits = Leaf(Ce.GetFloat("input.logits3"));
        var loss = Losses.CrossEntropy(logits, Ce.GetInt64("input.target3"));
        Close.All(Ce.GetFloat("mean3.loss").Data, loss.Data, Rtol, Atol, "mean3.loss");
        loss.Backward();
        Close.All(Ce.GetFloat("mean3.grad").Data, logits.Grad, Rtol, Atol, "mean3.grad");
        Assert.Equal([2, 4], Losses.CrossEntropy(Ce.GetFloat("input.logits3"), Ce.GetInt64("input.target3"), Reduction.None).Shape);
    }

    [Fact]
    public void CrossEntropy_AllIgnored_IsNaNWithZeroGradient()
    {
        var logits = Leaf(Ce.GetFloat("input.logits"));
        var loss = Losses.CrossEntropy(logits, Ce.GetInt64("input.target_all_ignored"));
        Assert.True(float.IsNaN(Ce.GetFloat("mean_all_ignored.loss").Item()));
        Assert.True(float.IsNaN(loss.Item()));
        loss.Backward();
        Assert.All(logits.Grad ?? new float[30], g => Assert.Equal(0f, g));
    }

    [Theory]
    [InlineData("mean", false)]
    [InlineData("masked_mean", true)]
    public void BceWithLogits_MatchesTorch_LossAndGradient(string key, bool masked)
    {
        var logits = Leaf(Bce.GetFloat("input.logits"));
        var loss = Losses.BceWithLogits(logits, Bce.GetFloat("input.target"), masked ? Bce.GetFloat("input.mask") : null);
        Close.All(Bce.GetFloat($"{key}.loss").Data, loss.Data, Rtol, Atol, $"{key}.loss");
        loss.Backward();
        Close.All(Bce.GetFloat($"{key}.grad").Data, logits.Grad, Rtol, Atol, $"{key}.grad");
    }

    [Fact]
    public void BceWithLogits_OneHotMask_GivesTorchElementwiseLoss()
    {
        // The masked mean with a one-hot mask is that element's unreduced loss (torch reduction='none'), ±35 logits included.
        var logits = Bce.GetFloat("input.logits");
        var target = Bce.GetFloat("input.target");
        var expected = Bce.GetFloat("none.loss").Data;
        var actual = new float[expected.Length];
        for (var i = 0; i < expected.Length; i++)
        {
            var mask = Tensor.Zeros(logits.Shape);
            mask.Data[i] = 1f;
            actual[i] = Losses.BceWithLogits(logits, target, mask).Item();
        }
        Close.All(expected, actual, Rtol, Atol, "none.loss");
    }

    [Fact]
    public void CrossEntropy_BadInput_FailsClearly()
    {
        Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Tensor.Zeros(3), new int[3]));
        Assert.Contains("does not fit in an int", Assert.Throws<ArgumentOutOfRangeException>(() => Losses.CrossEntropy(Tensor.Zeros(1, 2), new[] { 1L << 40 })).Message);
    }

    private static Tensor Leaf(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }
}
