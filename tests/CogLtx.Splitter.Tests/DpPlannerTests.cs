using System.Runtime.CompilerServices;
using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Splitter.Tests;

/// <summary>
/// The streaming DP (<see cref="DpPlanner"/>) against the reference's sentinel DP (spec §1), on inputs of any length,
/// and the streamed text splitter (<see cref="DpSplitter.Spans"/>) against <see cref="DpSplitter.Split"/>.
/// </summary>
public sealed class DpPlannerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomInputs_BelowTheSentinelLimit_SameRangesAndCostAsTheReference(int seed)
    {
        var rng = new Random(seed);
        for (var trial = 0; trial < 150; trial++)
        {
            var n = trial < 10 ? trial : rng.Next(1, trial % 10 == 0 ? 60_000 : 3_000);
            var density = rng.NextDouble() * rng.NextDouble();   // from no punctuation to dense punctuation
            var costs = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < density ? rng.Next(0, 3) : -1).ToArray();
            var (blockSize, blockCost, forced) = trial % 3 == 0 ? (63, 4, 8) : (rng.Next(1, 80), rng.Next(0, 6), rng.Next(0, 12));
            var expected = ReferencePlan(costs, blockSize, blockCost, forced);
            var (ranges, cost) = Stream(costs, blockSize, blockCost, forced);
            Assert.True(expected.Ranges.SequenceEqual(ranges), $"seed {seed} trial {trial}: n = {n}, B = {blockSize}: ranges differ");
            Assert.Equal(expected.Cost, cost);
        }
    }

    [Fact]
    public void DpSplitterPlan_EqualsTheReference_OnTokenStrings()
    {
        var rng = new Random(7);
        string[] vocabulary = ["a", "b", ".", ",", "?", "!", "\n", "Ġ.", "Ġ,", "c", "d", "e"];
        var texts = Enumerable.Range(0, 20_000).Select(_ => vocabulary[rng.Next(vocabulary.Length)]).ToList();
        var costs = texts.Select(t => DpSplitter.ReferenceEndTokenCosts.TryGetValue(t, out var c) ? c : -1).ToArray();
        var expected = ReferencePlan(costs, 63, 4, 8);
        var plan = DpSplitter.Plan(texts);
        Assert.Equal(expected.Ranges, plan.Ranges);
        Assert.Equal(expected.Cost, plan.Cost);
    }

    [Fact]
    public void DpSplitterPlan_600kTokensWithoutPunctuation_NoLongerThrows()
    {
        // Before streaming: "cut at token 525041 has no predecessor within 63 tokens".
        var plan = DpSplitter.Plan(Enumerable.Repeat("word", 600_000).ToList());
        Assert.Equal(9_524, plan.Ranges.Count);   // 9,523 blocks of 63 and one of 51
        Assert.Equal((599_949, 600_000), plan.Ranges[^1]);
    }

    [Fact]
    public void ThreeMillionTokensWithoutPunctuation_SplitsInFullBlocks_WithBoundedState()
    {
        // The reference throws past ~525k such tokens ("no predecessor within 63 tokens").
        const int n = 3_000_000;
        var planner = new DpPlanner();
        var ranges = new List<(int Start, int End)>();
        var maxStored = 0;
        for (var i = 0; i < n; i++)
        {
            planner.Add(-1);
            ranges.AddRange(planner.TakeCommitted());
            maxStored = Math.Max(maxStored, planner.StoredCuts);
        }
        var committedBeforeTheEnd = ranges.Count;
        var cost = planner.Finish();
        ranges.AddRange(planner.TakeCommitted());
        // 47,619 full blocks and one of 3 tokens, most of them committed while the input was still coming.
        Assert.Equal(Enumerable.Range(0, 47_619).Select(i => (63 * i, 63 * i + 63)).Append((63 * 47_619, n)), ranges);
        Assert.True(committedBeforeTheEnd > 45_000, $"only {committedBeforeTheEnd} blocks were committed before the end");
        Assert.Equal(47_620 * 4 + 47_619 * 8, cost);
        Assert.True(maxStored <= 4096, $"the planner held {maxStored} cuts at once");
    }

    [Fact]
    public void FiveMillionTokensOfOrdinaryText_SplitsWithoutException_EveryTokenOnce()
    {
        var rng = new Random(11);
        var planner = new DpPlanner();
        var next = 0;
        var maxStored = 0;
        void Check()
        {
            foreach (var (start, end) in planner.TakeCommitted())
            {
                Assert.Equal(next, start);
                Assert.InRange(end - start, 1, 63);
                next = end;
            }
        }
        for (var i = 0; i < 5_000_000; i++)
        {
            var r = rng.Next(100);
            planner.Add(r < 5 ? 1 : r < 8 ? 2 : -1);
            if ((i & 4095) == 0) Check();
            maxStored = Math.Max(maxStored, planner.StoredCuts);
        }
        planner.Finish();
        Check();
        Assert.Equal(5_000_000, next);
        Assert.True(maxStored <= 8192, $"the planner held {maxStored} cuts at once");
    }

    [Theory]
    [InlineData("bert-base-uncased")]
    [InlineData("roberta-base")]
    public void Spans_StreamedInSmallPieces_EqualSplitOnTheWholeText(string name)
    {
        var tokenizer = TokenizerLoader.Load(FixtureTokenizer(name));
        var rng = new Random(5);
        string[] pieces = ["the", "Cat", "sat", "on", "2020", "mats", "é", "naïve", "x1", ".", ",", "!", "?", "\n", "  ", "(", ")", "don't", "it's"];
        for (var trial = 0; trial < 20; trial++)
        {
            var words = Enumerable.Range(0, rng.Next(0, 1500)).Select(_ => pieces[rng.Next(pieces.Length)]);
            var text = string.Join(rng.Next(3) == 0 ? "" : " ", words);
            var options = CogLtxOptions.Default with { BlockSize = trial % 2 == 0 ? 63 : 17 };
            var expected = DpSplitter.Split(tokenizer.Tokenize(text), tokenizer.Specials.Sep, new BlockIdCounter(), options)
                .Select(b => (b.Span, b.Length - 1)).ToList();
            var streamed = DpSplitter.Spans(text, tokenizer, options, chunkChars: 1 + trial * 7).ToList();
            Assert.True(expected.SequenceEqual(streamed), $"{name}, trial {trial}: {expected.Count} blocks split whole, {streamed.Count} streamed");
        }
    }

    private static (List<(int, int)> Ranges, long Cost) Stream(int[] costs, int blockSize, int blockCost, int forced)
    {
        var planner = new DpPlanner(blockSize, blockCost, forced);
        var ranges = new List<(int, int)>();
        foreach (var c in costs)
        {
            planner.Add(c);
            ranges.AddRange(planner.TakeCommitted());
        }
        var cost = planner.Finish();
        ranges.AddRange(planner.TakeCommitted());
        return (ranges, cost);
    }

    /// <summary>The DP as it was before streaming (buffer.py's, with the "unreached" sentinel 100000), kept as the oracle.</summary>
    private static (List<(int, int)> Ranges, long Cost) ReferencePlan(int[] costs, int blockSize, int blockCost, int forcedCutCost)
    {
        var n = costs.Length;
        var candidates = new List<(int Pos, int Cost)>();
        for (var i = 0; i < n; i++)
            if (costs[i] >= 0) candidates.Add((i, costs[i]));
        if (n > 0 && (candidates.Count == 0 || candidates[^1].Pos < n - 1)) candidates.Add((n - 1, 0));
        var cuts = new List<(int Pos, int Cost)> { (-1, 0) };
        foreach (var cut in candidates)
        {
            while (cut.Pos - cuts[^1].Pos > blockSize) cuts.Add((cuts[^1].Pos + blockSize, forcedCutCost));
            cuts.Add(cut);
        }
        var best = new int[cuts.Count];
        var from = new int[cuts.Count];
        for (var i = 1; i < cuts.Count; i++)
        {
            best[i] = 100000;
            from[i] = -1;
            for (var j = i - 1; j >= 0 && cuts[i].Pos - cuts[j].Pos <= blockSize; j--)
            {
                var value = best[j] + cuts[i].Cost + blockCost;
                if (value < best[i]) (best[i], from[i]) = (value, j);
            }
            if (from[i] < 0) throw new InvalidOperationException($"reference DP: cut at token {cuts[i].Pos} has no predecessor (past the sentinel)");
        }
        var ranges = new List<(int, int)>();
        for (var x = cuts.Count - 1; x > 0; x = from[x]) ranges.Add((cuts[from[x]].Pos + 1, cuts[x].Pos + 1));
        ranges.Reverse();
        return (ranges, best[^1]);
    }

    private static string FixtureTokenizer(string name, [CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null && start.Length > 0; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return Path.Combine(dir.FullName, "tests", "fixtures", "tokenizers", name);
        throw new DirectoryNotFoundException($"no CogLtx.sln above {AppContext.BaseDirectory} or {source}");
    }
}
