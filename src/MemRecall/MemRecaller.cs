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
    /// their rehearsal inputs together. With more than one example the inputs of a phase are ordered by length (longest
    /// first) before they are cut into calls, so that each call pads little. Each example's result is what
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
            var coarse = ScoreAll(competitions, cancellationToken);
            var rehearsals = active.Select((r, i) => r.Fill(competitions[i], coarse[i])).ToList();
            var fine = ScoreAll([.. rehearsals.Select(input => (IReadOnlyList<AssembledInput>)[input])], cancellationToken);
            for (var i = 0; i < active.Count; i++) active[i].Rehearse(rehearsals[i], fine[i][0]);
            active.RemoveAll(r => r.Result is not null);
        }
        return [.. runs.Select(r => r.Result!)];
    }

    // Token scores of every input of every example, aligned with the input lists, from judge calls of at most
    // InferenceBatchSize inputs; one example's inputs keep their order, several examples' are sorted by length.
    private float[][][] ScoreAll(IReadOnlyList<IReadOnlyList<AssembledInput>> inputs, CancellationToken cancellationToken)
    {
        var result = inputs.Select(list => new float[list.Count][]).ToArray();
        var order = inputs.SelectMany((list, e) => list.Select((input, j) => (Example: e, Index: j, input.Length))).ToList();
        if (inputs.Count > 1) order = [.. order.OrderByDescending(x => x.Length)];
        for (var first = 0; first < order.Count; first += options.InferenceBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var call = order.Skip(first).Take(options.InferenceBatchSize).ToList();
            var scores = Score([.. call.Select(x => inputs[x.Example][x.Index])], cancellationToken);
            for (var j = 0; j < call.Count; j++) result[call[j].Example][call[j].Index] = scores[j];
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
