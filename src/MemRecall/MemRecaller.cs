using CogLtx.Text.Documents;

namespace CogLtx.MemRecall;

/// <summary>
/// MemRecall (spec §3; paper §3.2; memreplay.py <c>mem_replay</c>): selects the key blocks z of a long document
/// for a query, with a judge (<see cref="IBlockScorer"/>), through several steps of retrieval competition, rehearsal
/// and decay over a working memory of <see cref="CogLtxOptions.Capacity"/> tokens.
/// <code>
/// z := copy of Q;  kept := {}
/// for step k with stride inc:
///     keep_n := |z| + inc
///     coarse[b] := mean token score of b inside its group, groups = z.Fill(D)   (D in order, z's own blocks included)
///     for b in D by coarse descending: stop at the first b with size(z) + |b| &gt; capacity; skip b in kept; insert b
///     fine := block scores of one pass over z   (query blocks 1)
///     if k is the last step or |z| ≤ keep_n: return (z, fine)
///     z := the keep_n blocks of z with the highest fine score, in z's order;  kept := document blocks of z
/// </code>
/// So with strides "3,5" step 1 keeps Q + 3 blocks and step 2 returns the filled buffer unpruned: the last stride is
/// never used (reproduced, spec §9.5). Deliberate deviations: the caller's query list is copied, not mutated as in the
/// reference; equal scores are ordered by index (stable sorts) where torch's argsort leaves the order unspecified; a
/// document block too long to sit next to z even alone (only possible with a long query or custom strides) takes no
/// part in the competition and gets coarse score −∞, where the reference crashes building an over-long input.
/// </summary>
public sealed class MemRecaller
{
    private readonly IBlockScorer scorer;
    private readonly CogLtxOptions options;

    /// <summary>MemRecall over the blocks' scores from <paramref name="scorer"/>, with <paramref name="options"/> (default <see cref="CogLtxOptions.Default"/>).</summary>
    public MemRecaller(IBlockScorer scorer, CogLtxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        this.scorer = scorer;
        this.options = (options ?? CogLtxOptions.Default).Validate();
    }

    /// <summary>Runs MemRecall for <paramref name="queryBlocks"/> over <paramref name="documentBlocks"/> (reading order).</summary>
    public MemRecallResult Run(IReadOnlyList<Block> queryBlocks, IReadOnlyList<Block> documentBlocks, CancellationToken cancellationToken = default) =>
        RunMany([new ExampleBlocks(queryBlocks, documentBlocks)], cancellationToken)[0];

    /// <summary>
    /// Runs MemRecall for every example at once, in lock step: the retrieval-competition groups of all unfinished
    /// examples are scored together, at most <see cref="CogLtxOptions.InferenceBatchSize"/> inputs per judge call, then
    /// their rehearsal inputs together. With more than one example the inputs of a phase are cut into calls by
    /// <see cref="InferenceBatches.Plan"/> (alike lengths together, so that each call pads little). Each example's result is what
    /// <see cref="Run"/> gives for it alone whenever the judge scores an input independently of the other inputs of its
    /// call (true of <c>JudgeScorer</c>: padding is masked); only the number and composition of judge calls change.
    /// </summary>
    public IReadOnlyList<MemRecallResult> RunMany(IReadOnlyList<ExampleBlocks> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var runs = examples.Select(e => new MemRecallRun(e.QueryBlocks, e.DocumentBlocks, options)).ToList();
        var active = runs.ToList();
        while (active.Count > 0)
        {
            var competitions = active.Select(r => r.Compete()).ToList();
            var coarse = ScoreAll(active, competitions, cancellationToken);
            var rehearsals = active.Select((r, i) => r.Fill(competitions[i], coarse[i])).ToList();
            var fine = ScoreAll(active, [.. rehearsals.Select(input => (IReadOnlyList<AssembledInput>)[input])], cancellationToken);
            for (var i = 0; i < active.Count; i++) active[i].Rehearse(rehearsals[i], fine[i][0]);
            active.RemoveAll(r => r.Result is not null);
        }
        return [.. runs.Select(r => r.Result!)];
    }

    // Token scores of every input of every run, aligned with the input lists; an input its run has met before is
    // recalled, not scored (MemRecallRun.Recall). One run's inputs are scored in their order, InferenceBatchSize per
    // call (the reference's calls); several runs' are cut by InferenceBatches.
    private float[][][] ScoreAll(IReadOnlyList<MemRecallRun> runs, IReadOnlyList<IReadOnlyList<AssembledInput>> inputs, CancellationToken cancellationToken)
    {
        var result = inputs.Select(list => new float[list.Count][]).ToArray();
        var flat = new List<(int Run, int Index, AssembledInput Input)>();
        for (var e = 0; e < inputs.Count; e++)
            for (var j = 0; j < inputs[e].Count; j++)
            {
                if (runs[e].Recall(inputs[e][j]) is { } known) result[e][j] = known;
                else flat.Add((e, j, inputs[e][j]));
            }
        var size = options.InferenceBatchSize;
        var calls = inputs.Count > 1
            ? InferenceBatches.Plan([.. flat.Select(x => x.Input.Length)], size)
            : [.. Enumerable.Range(0, (flat.Count + size - 1) / size).Select(c => Enumerable.Range(c * size, Math.Min(size, flat.Count - c * size)).ToArray())];
        foreach (var call in calls)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scores = Score([.. call.Select(i => flat[i].Input)], cancellationToken);
            for (var j = 0; j < call.Length; j++)
            {
                var (e, index, input) = flat[call[j]];
                result[e][index] = scores[j];
                runs[e].Remember(input, scores[j]);
            }
        }
        return result;
    }

    private IReadOnlyList<float[]> Score(IReadOnlyList<AssembledInput> inputs, CancellationToken cancellationToken)
    {
        var scores = scorer.ScoreTokens(inputs, cancellationToken);
        if (scores.Count != inputs.Count)
            throw new InvalidOperationException($"the scorer returned {scores.Count} score arrays for {inputs.Count} inputs");
        for (var i = 0; i < inputs.Count; i++)
            if (scores[i].Length < inputs[i].Length)
                throw new InvalidOperationException($"the scorer returned {scores[i].Length} token scores for input {i} of {inputs[i].Length} tokens");
        return scores;
    }
}
