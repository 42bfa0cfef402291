using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

public sealed class AdamWTests
{
    private static readonly string[] Names = ["p0", "p1", "p2"];

    [Fact]
    public void AdamW_WithScheduleAndClipping_ReproducesTorchFixture()
    {
        // tests/fixtures/optim: torch AdamW(lr=1e-3, wd=0.01) + get_linear_schedule_with_warmup(2, 10) + clip 1.0, 5 steps.
        var f = SafeTensors.Read(TestPaths.Fixture("optim/adamw.safetensors"));
        var ps = Names.Select(n => (Name: n, Value: Param(f.GetFloat("init." + n)))).ToList();
        var opt = new AdamW(ps, learningRate: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01);
        var schedule = LrSchedules.LinearWithWarmup(1e-3, 2, 10);
        for (var step = 1; step <= 5; step++)
        {
            foreach (var (n, p) in ps) f.GetFloat($"step{step}.grad.{n}").Data.CopyTo(p.GradSpan());
            var norm = GradClip.ClipGradNorm(ps.Select(p => p.Value), 1.0);
            Assert.Equal(f.GetFloat($"step{step}.total_norm").Item(), norm, 1e-6f * norm);
            foreach (var (n, p) in ps) Close.All(f.GetFloat($"step{step}.clipped_grad.{n}").Data, p.Grad, 1e-6, 0, $"step{step}.clipped_grad.{n}");

            opt.LearningRate = schedule.LearningRate(opt.Steps);
            Assert.Equal(f.GetFloat64($"step{step}.lr")[0], opt.LearningRate, 1e-15);
            opt.Step();

            var state = StateByName(opt);
            foreach (var (n, p) in ps)
            {
                Close.All(f.GetFloat($"step{step}.param.{n}").Data, p.Data, 1e-6, 0, $"step{step}.param.{n}");
                Close.All(f.GetFloat($"step{step}.exp_avg.{n}").Data, state["adamw.exp_avg." + n], 1e-6, 0, $"step{step}.exp_avg.{n}");
                Close.All(f.GetFloat($"step{step}.exp_avg_sq.{n}").Data, state["adamw.exp_avg_sq." + n], 1e-6, 0, $"step{step}.exp_avg_sq.{n}");
            }
            opt.ZeroGrad();
        }
        Assert.Equal(f.GetFloat64("lr_after_last_step")[0], schedule.LearningRate(5), 1e-15);
    }

    [Fact]
    public void Step_HandWorkedFirstStep_MatchesTheFormula()
    {
        // p = 1, g = 0.5, lr = 0.1, wd = 0.1, t = 1: p ← 1·(1 − 0.01) = 0.99; m = 0.05, v = 0.00025;
        // m̂ = 0.5, √v̂ = 0.5 → p ← 0.99 − 0.1 · 0.5 / (0.5 + 1e-8) ≈ 0.89.
        var p = Param(new Tensor([1f], 1));
        p.GradSpan()[0] = 0.5f;
        var opt = new AdamW([("p", p)], learningRate: 0.1, weightDecay: 0.1);
        opt.Step();
        Assert.Equal(0.89f, p.Data[0], 1e-6f);
        var s = StateByName(opt);
        Assert.Equal(0.05f, s["adamw.exp_avg.p"][0], 1e-8f);
        Assert.Equal(0.00025f, s["adamw.exp_avg_sq.p"][0], 1e-10f);
    }

    [Fact]
    public void Step_LargeParameter_MatchesADoublePrecisionReference()
    {
        // Big enough for the multi-threaded chunk split; two steps so the bias corrections differ from step 1.
        const int n = 300_001;
        var rng = new Rng(7);
        var p = Param(Tensor.Randn(rng, 1f, n));
        var reference = p.Data.Select(v => (double)v).ToArray();
        var m = new double[n];
        var v = new double[n];
        var opt = new AdamW([("w", p)], learningRate: 3e-3, weightDecay: 0.05);
        for (var t = 1; t <= 2; t++)
        {
            var g = Tensor.Randn(rng, 0.1f, n).Data;
            g.CopyTo(p.GradSpan());
            opt.Step();
            for (var i = 0; i < n; i++)
            {
                reference[i] *= 1 - 3e-3 * 0.05;
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                reference[i] -= 3e-3 / (1 - Math.Pow(0.9, t)) * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8);
            }
        }
        Close.All(reference.Select(x => (float)x).ToArray(), p.Data, 1e-6, 0, "w after 2 steps");
    }

    [Fact]
    public void Step_ParameterWithoutGradient_IsLeftAloneAndGetsNoState()
    {
        var a = Param(new Tensor([1f, 2f], 2));
        var b = Param(new Tensor([3f], 1));
        a.GradSpan().Fill(1f);
        var opt = new AdamW([("a", a), ("b", b)], learningRate: 0.1, weightDecay: 0.5);
        opt.Step();
        Assert.Equal([3f], b.Data);
        Assert.NotEqual([1f, 2f], a.Data);
        var keys = opt.StateEntries().Select(e => e.Name).ToList();
        Assert.Contains("adamw.step.a", keys);
        Assert.DoesNotContain("adamw.step.b", keys);
    }

    [Fact]
    public void ZeroGrad_KeepsEachGradientArrayForTheNextStep_WithTheSameUpdatesAsDroppingIt()
    {
        // Steps 1 and 3 reach both parameters, step 2 only a. Run A drops gradients (Tensor.ZeroGrad); run B uses the
        // optimizer's ZeroGrad, which keeps the arrays. Each micro-batch runs in a buffer scope, so the parameters'
        // gradients are copies of pooled ones (AddScalar hands its output's gradient over) and plain ones (MatMul).
        var (a1, b1, opt1) = Fresh();
        var (a2, b2, opt2) = Fresh();
        var pool = new BufferPool();
        float[]? firstA = null;
        for (var step = 1; step <= 3; step++)
        {
            Backward(a1, b1, withB: step != 2, pool);
            Backward(a2, b2, withB: step != 2, pool);
            Assert.Equal(a1.Grad, a2.Grad);
            Assert.Equal(b1.Grad, b2.Grad);
            if (step == 1) firstA = a2.Grad;
            else Assert.Same(firstA, a2.Grad);
            if (step == 2) Assert.Null(b2.Grad);
            opt1.Step();
            opt2.Step();
            a1.ZeroGrad();
            b1.ZeroGrad();
            opt2.ZeroGrad();
            Assert.Null(a2.Grad);
            Assert.Null(b2.Grad);
        }
        Assert.Equal(a1.Data, a2.Data);
        Assert.Equal(b1.Data, b2.Data);
        // b got no update in step 2 (no gradient): its step count is 2 of 3.
        Assert.Equal(2L, BitConverter.ToInt64(opt2.StateEntries().Single(e => e.Name == "adamw.step.b").Bytes));

        static (Tensor A, Tensor B, AdamW Optimizer) Fresh()
        {
            var rng = new Rng(4);
            var a = Param(Tensor.Randn(rng, 0.5f, 3, 4));
            var b = Param(Tensor.Randn(rng, 0.5f, 4, 2));
            return (a, b, new AdamW([("a", a), ("b", b)], learningRate: 0.05, weightDecay: 0.1));
        }

        static void Backward(Tensor a, Tensor b, bool withB, BufferPool pool)
        {
            using var scope = pool.Begin();
            var x = Tensor.Randn(new Rng(8), 1f, 2, 3);
            var h = Ops.Gelu(Ops.MatMul(x, Ops.AddScalar(a, 0f)));
            Ops.Sum(withB ? Ops.MatMul(h, b) : h).Backward();
        }
    }

    [Fact]
    public void Step_NonFiniteGradient_ThrowsNamingTheParameterAndChangesNothing()
    {
        var a = Param(new Tensor([1f, 2f], 2));
        var b = Param(new Tensor([3f, 4f], 2));
        var opt = new AdamW([("a", a), ("b", b)]);
        a.GradSpan().Fill(0.1f);
        b.GradSpan()[1] = float.NaN;
        var e = Assert.Throws<NonFiniteException>(opt.Step);
        Assert.Equal(["b"], e.Names);
        Assert.Equal([1f, 2f], a.Data);
        Assert.Equal(0, opt.Steps);
        Assert.Single(opt.StateEntries());  // only "steps": no moments were created

        b.GradSpan()[1] = float.PositiveInfinity;
        Assert.Throws<NonFiniteException>(opt.Step);
    }

    [Fact]
    public void DecayGroups_ExcludeBiasesAndLayerNormWeights()
    {
        var ps = new[] { "encoder.dense.weight", "encoder.dense.bias", "embeddings.LayerNorm.weight", "old.LayerNorm.gamma", "old.LayerNorm.beta", "classifier.weight" }
            .Select(n => (n, Param(new Tensor([0f], 1)))).ToList();
        var groups = AdamW.DecayGroups(ps, 0.01);
        Assert.Equal(2, groups.Count);
        Assert.Equal(0.01, groups[0].WeightDecay);
        Assert.Equal(["encoder.dense.weight", "classifier.weight"], groups[0].Parameters.Select(p => p.Name));
        Assert.Equal(0, groups[1].WeightDecay);
        Assert.Equal(4, groups[1].Parameters.Count);
    }

    [Fact]
    public void Step_GroupWithoutDecay_OnlyMovesByAdam()
    {
        // Zero gradient: Adam's update is 0/(0+ε) = 0, so only decoupled decay can move a parameter.
        var w = Param(new Tensor([2f], 1));
        var bias = Param(new Tensor([2f], 1));
        var opt = new AdamW([new ParameterGroup([("w", w)], 0.5), new ParameterGroup([("bias", bias)], 0)], learningRate: 0.1);
        w.GradSpan()[0] = 0f;
        bias.GradSpan()[0] = 0f;
        opt.Step();
        Assert.Equal(2f * (1 - 0.1f * 0.5f), w.Data[0], 1e-6f);
        Assert.Equal(2f, bias.Data[0]);
    }

    [Fact]
    public void Constructor_RejectsDuplicatesAndBadHyperParameters()
    {
        var t = Param(new Tensor([0f], 1));
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => new AdamW([("x", t), ("x", Param(new Tensor([0f], 1)))])).Message);
        Assert.Contains("same tensor", Assert.Throws<ArgumentException>(() => new AdamW([("x", t), ("y", t)])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([("x", t)], beta2: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([("x", t)], learningRate: double.NaN));
    }

    [Fact]
    public void State_SaveAndLoad_ContinuesExactlyAsTheOriginal()
    {
        using var dir = new TempDir();
        var rng = new Rng(3);
        var (a, optA) = Fresh();
        for (var i = 0; i < 3; i++) { Grads(a, rng); optA.Step(); }
        optA.SaveState(dir.File("opt.safetensors"));

        var (b, optB) = Fresh();
        for (var i = 0; i < a.Count; i++) a[i].Value.Data.CopyTo(b[i].Value.Data);
        optB.LoadState(dir.File("opt.safetensors"));
        Assert.Equal(3, optB.Steps);

        var g = new Rng(9);
        Grads(a, g);
        Grads(b, new Rng(9));
        optA.Step();
        optB.Step();
        for (var i = 0; i < a.Count; i++) Assert.Equal(a[i].Value.Data, b[i].Value.Data);

        static (List<(string Name, Tensor Value)>, AdamW) Fresh()
        {
            var ps = new List<(string Name, Tensor Value)> { ("w", Param(Tensor.Zeros(3, 2))), ("b", Param(Tensor.Zeros(2))) };
            return (ps, new AdamW(ps, learningRate: 0.01));
        }

        static void Grads(List<(string Name, Tensor Value)> ps, Rng rng)
        {
            foreach (var (_, p) in ps)
                for (var i = 0; i < p.Size; i++) p.GradSpan()[i] = rng.NextGaussian();
        }
    }

    [Fact]
    public void LoadState_MismatchedFile_FailsListingEveryProblemAndChangesNothing()
    {
        using var dir = new TempDir();
        var w = Param(Tensor.Zeros(2, 2));
        var opt = new AdamW([("w", w)]);
        SafeTensors.Write(dir.File("bad.safetensors"),
        [
            SafeTensorEntry.FromInt64("adamw.steps", [4], [1]),
            SafeTensorEntry.FromInt64("adamw.step.w", [4], [1]),
            SafeTensorEntry.FromTensor("adamw.exp_avg.w", Tensor.Zeros(3)),
            SafeTensorEntry.FromTensor("adamw.exp_avg_sq.w", Tensor.Zeros(2, 2)),
            SafeTensorEntry.FromInt64("adamw.step.ghost", [1], [1]),
        ]);
        var e = Assert.Throws<InvalidDataException>(() => opt.LoadState(dir.File("bad.safetensors")));
        Assert.Contains("adamw.exp_avg.w: expected [2, 2], file has [3]", e.Message);
        Assert.Contains("state for unknown parameter ghost", e.Message);
        Assert.Contains("bad.safetensors", e.Message);
        Assert.Equal(0, opt.Steps);

        SafeTensors.Write(dir.File("none.safetensors"), [SafeTensorEntry.FromTensor("w", Tensor.Zeros(2, 2))]);
        Assert.Contains("adamw.steps is missing", Assert.Throws<InvalidDataException>(() => opt.LoadState(dir.File("none.safetensors"))).Message);
    }

    internal static Tensor Param(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }

    private static Dictionary<string, float[]> StateByName(AdamW opt) =>
        opt.StateEntries().Where(e => e.Dtype == "F32").ToDictionary(e => e.Name, e => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(e.Bytes).ToArray());
}
