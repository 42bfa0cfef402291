using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

[CollectionDefinition(nameof(ThreadDeterminismTests), DisableParallelization = true)]
public sealed class ThreadDeterminismCollection;

/// <summary>
/// Training is reproducible at any thread count: every parallel reduction of the engine uses a fixed partition
/// and sums in a fixed order, so the same seed gives bit-identical weights at 1 and 2 threads. Shapes are large
/// enough that GEMMs split, LayerNorm backward and attention run in parallel. Sets its thread count in a ComputeOptions scope.
/// </summary>
[Collection(nameof(ThreadDeterminismTests))]
public sealed class ThreadDeterminismTests
{
    private static Dictionary<string, float[]> Train(int threads, int steps)
    {
        using (ComputeOptions.Use(ComputeOptions.Default with { Threads = threads }))
        {
            var config = BertConfig.Scratch(500, layers: 2, hidden: 64, heads: 4, intermediate: 256, maxLength: 128);
            var model = BertModel.Create(config, seed: 11);
            model.Train();
            var optimizer = new AdamW(model.NamedParameters(), learningRate: 1e-3, weightDecay: 0.01);
            var rng = new Rng(12);
            const int batch = 2, length = 128;
            for (var step = 0; step < steps; step++)
            {
                var ids = new int[batch * length];
                for (var i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(1, config.VocabSize);
                var mask = Enumerable.Range(0, ids.Length).Select(i => i % length < 100 || i < length ? 1 : 0).ToArray();
                var output = model.Encode(new EncoderInput(ids, mask, batch, length, new int[ids.Length]));
                var last = output.LastHiddenState;
                var loss = Ops.Add(Ops.Mean(Ops.Mul(last, last)), Ops.Mean(Ops.Mul(output.PoolerOutput!, output.PoolerOutput!)));
                loss.Backward();
                optimizer.Step();
                optimizer.ZeroGrad();
            }
            return model.NamedParameters().ToDictionary(p => p.Name, p => (float[])p.Value.Data.Clone());
        }
    }

    [Fact]
    public void TinyBert_TrainingSteps_GiveBitIdenticalWeights_AtOneAndTwoThreads()
    {
        var one = Train(1, 3);
        var two = Train(2, 3);
        foreach (var (name, weights) in one)
            Assert.True(weights.AsSpan().SequenceEqual(two[name]), $"{name} differs between 1 and 2 threads");
    }
}
