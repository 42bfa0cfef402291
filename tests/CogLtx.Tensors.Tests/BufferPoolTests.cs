namespace CogLtx.Tensors.Tests;

/// <summary>
/// <see cref="BufferPool"/>: steps run in scopes give bit-identical parameters to steps without, reuse the previous
/// step's storage, and a tensor read after its scope has ended throws instead of showing another step's numbers.
/// </summary>
public sealed class BufferPoolTests
{
    private const int Batch = 4, Length = 8, Hidden = 16, Heads = 2, Classes = 3;

    [Fact]
    public void StepsInScopes_GiveTheSameParametersBitForBit()
    {
        var plain = Train(pool: null, steps: 3, out _);
        var pool = new BufferPool();
        var pooled = Train(pool, steps: 3, out _);
        for (var i = 0; i < plain.Length; i++)
            Assert.Equal(plain[i].Data, pooled[i].Data);
        Assert.True(pool.Reused > pool.Allocated, $"reused {pool.Reused}, allocated {pool.Allocated}: later steps should take the first step's arrays");
    }

    [Fact]
    public void AfterTheFirstStep_NothingNewIsAllocated()
    {
        var pool = new BufferPool();
        Train(pool, steps: 1, out _);
        var afterOne = pool.Allocated;
        Train(pool, steps: 2, out _);
        // The second run repeats the first run's shapes: two more steps, all from the pool.
        Assert.Equal(afterOne, pool.Allocated);
        Assert.True(pool.RetainedBytes > 0);
    }

    [Fact]
    public void ShapesThatVary_KeepAtMostTheLargestScopesArrays()
    {
        // Scope i makes ten tensors of a length no other scope uses (inputs padded to each batch's longest row): the
        // pool must not keep every scope's arrays until KeepScopes drops them, only what the largest scope used.
        var pool = new BufferPool();
        int[] lengths = [1_500, 1_100, 1_200, 1_700, 1_400, 1_000, 1_600, 1_300];
        long largest = 0;
        foreach (var (i, length) in lengths.Index())
        {
            using (pool.Begin())
                for (var k = 0; k < 10; k++) Tensor.Empty(length);
            largest = Math.Max(largest, 10L * 4 * length);
            Assert.Equal(largest, pool.BudgetBytes);
            Assert.True(pool.RetainedBytes <= largest, $"scope {i}: the pool keeps {pool.RetainedBytes} bytes, more than the largest scope's {largest}");
        }
        // A scope that repeats the last one's shapes still finds all of them.
        var allocated = pool.Allocated;
        using (pool.Begin())
            for (var k = 0; k < 10; k++) Tensor.Empty(lengths[^1]);
        Assert.Equal(allocated, pool.Allocated);
    }

    [Fact]
    public void ATensorReadAfterItsScope_Throws_AndParametersKeepTheirGradients()
    {
        var pool = new BufferPool();
        var rng = new Rng(7);
        var weight = Tensor.Randn(rng, 0.1f, Hidden, Hidden);
        weight.RequiresGrad = true;
        Tensor kept;
        using (pool.Begin())
        {
            // AddScalar hands its output's (pooled) gradient over to its input: here a parameter, which must copy it.
            kept = Ops.Gelu(Ops.MatMul(Tensor.Randn(rng, 1f, Batch, Hidden), Ops.AddScalar(weight, 0f)));
            Ops.Sum(kept).Backward();
            Assert.Equal(Batch * Hidden, kept.Data.Length);
        }
        var error = Assert.Throws<InvalidOperationException>(() => kept.Data);
        Assert.Contains("BufferScope", error.Message);
        Assert.Throws<InvalidOperationException>(() => kept.Clone());
        // The parameter was made outside the scope: its gradient is its own, and survives the scope.
        var grad = weight.Grad!;
        var values = grad.ToArray();
        Assert.Contains(values, g => g != 0f);
        // The next step takes every pooled array of the gradient's length and overwrites it.
        using (pool.Begin())
            for (var i = 0; i < 3; i++) Ops.Gelu(Tensor.Randn(rng, 1f, Hidden, Hidden));
        Assert.Same(grad, weight.Grad);
        Assert.Equal(values, weight.Grad);
    }

    [Fact]
    public void AScopeMustEndOnItsThreadInnermostFirst()
    {
        var pool = new BufferPool();
        var outer = pool.Begin();
        var inner = pool.Begin();
        Assert.Throws<InvalidOperationException>(outer.Dispose);
        inner.Dispose();
        outer.Dispose();
        using (pool.Begin()) Assert.Equal(Batch, Tensor.Zeros(Batch).Data.Length);
    }

    /// <summary>
    /// A one-layer transformer-like classifier (embedding, attention with dropout, layer norm, GELU, reshape and
    /// residual adds: ops whose backward hands gradients over or copies them) trained with SGD, two micro-batches per
    /// step accumulated into the parameters' gradients; each micro-batch in its own scope when a pool is given.
    /// </summary>
    private static Tensor[] Train(BufferPool? pool, int steps, out float lastLoss)
    {
        var rng = new Rng(11);
        Tensor Param(params int[] shape)
        {
            var p = Tensor.Randn(rng, 0.2f, shape);
            p.RequiresGrad = true;
            return p;
        }
        var embedding = Param(50, Hidden);
        var qkv = Param(3 * Hidden, Hidden);
        var norm = (Weight: Tensor.Ones(Hidden), Bias: Tensor.Zeros(Hidden));
        norm.Weight.RequiresGrad = norm.Bias.RequiresGrad = true;
        var classifier = Param(Classes, Hidden);
        Tensor[] parameters = [embedding, qkv, norm.Weight, norm.Bias, classifier];
        var data = new Rng(5);
        var dropout = new Rng(9);
        lastLoss = 0;
        for (var step = 0; step < steps; step++)
        {
            foreach (var p in parameters) p.ZeroGrad();
            for (var micro = 0; micro < 2; micro++)
            {
                var ids = Enumerable.Range(0, Batch * Length).Select(_ => (int)(data.NextULong() % 50)).ToArray();
                var targets = Enumerable.Range(0, Batch).Select(_ => (int)(data.NextULong() % Classes)).ToArray();
                var scope = pool?.Begin();
                try
                {
                    var x = Ops.Embedding(embedding, ids, [Batch, Length]);
                    var projected = Ops.Reshape(Ops.Linear(x, qkv, null), Batch, Length, 3, Heads, Hidden / Heads);
                    var heads = Ops.Permute(projected, 2, 0, 3, 1, 4);
                    var (q, k, v) = (Ops.Slice(heads, 0, 0, 1), Ops.Slice(heads, 0, 1, 1), Ops.Slice(heads, 0, 2, 1));
                    var attended = Ops.ScaledDotProductAttention(Ops.Reshape(q, Batch, Heads, Length, Hidden / Heads),
                        Ops.Reshape(k, Batch, Heads, Length, Hidden / Heads), Ops.Reshape(v, Batch, Heads, Length, Hidden / Heads),
                        null, 0.5f, 0.1f, dropout);
                    var merged = Ops.Reshape(Ops.Permute(attended, 0, 2, 1, 3), Batch, Length, Hidden);
                    var hidden = Ops.LayerNorm(Ops.Add(x, Ops.Dropout(Ops.Gelu(merged), 0.1f, dropout, training: true)), norm.Weight, norm.Bias, 1e-12f);
                    var logits = Ops.Linear(Ops.Mean(hidden, 1), classifier, null);
                    var loss = Ops.Scale(Ops.CrossEntropy(logits, targets), 0.5f);
                    lastLoss = loss.Item();
                    loss.Backward();
                }
                finally
                {
                    scope?.Dispose();
                }
            }
            foreach (var p in parameters)
                for (var i = 0; i < p.Size; i++) p.Data[i] -= 0.1f * p.Grad![i];
        }
        return parameters;
    }
}
