namespace CogLtx.Splitter;

/// <summary>
/// The mode-D dynamic program (spec §1) run as a stream: tokens go in one at a time, final block ranges come out as
/// soon as they are certain, so any length splits in linear time with memory bounded by the undecided stretch.
/// <para>
/// Same cuts and choices as the reference: end tokens are cuts with their cost; a forced cut (cost
/// <c>forcedCutCost</c>) falls B tokens after the previous cut whenever B + 1 tokens pass without one; the last token
/// is a cut (cost 0) unless it is an end token; best[i] = c_i + blockCost + min over cuts j with p_i − p_j ≤ B of
/// best[j], ties to the nearest j. The window minimum comes from a monotonic deque (O(1) amortised per cut), and no
/// "unreached" sentinel is needed: consecutive cuts are at most B apart, so every cut has a predecessor. (The
/// reference's sentinel 100000 made every cut unreachable once best[] passed it, about 525k tokens without
/// punctuation; below that the outputs are identical.)
/// </para>
/// <para>
/// Ranges are committed Viterbi-style: the final path passes through one of the cuts of the last B tokens, so when
/// the back-pointer chains of all of those meet in one cut, the path up to it is final and everything before it is
/// dropped.
/// </para>
/// </summary>
public sealed class DpPlanner
{
    private const int CheckEvery = 1024;

    private readonly int blockSize, blockCost, forcedCutCost;

    // Cuts from index baseIndex on (index 0 is the virtual cut at −1): position and back-pointer.
    private readonly List<int> positions = [-1];
    private readonly List<long> backPointers = [-1];
    private long baseIndex;

    // Window minimum: cut indices with strictly increasing best values, front = min (the nearest among equals).
    private readonly long[] dequeIndex, dequeValue;
    private readonly int[] dequePosition;
    private int head, count;

    private readonly Queue<(int Start, int End)> committed = new();
    private long committedCut;
    private int tokens;
    private int lastCutPosition = -1;
    private bool lastTokenIsEnd;
    private long lastValue;
    private int nextCheck = CheckEvery;
    private bool finished;

    /// <summary>A planner for blocks of at most <paramref name="blockSize"/> tokens; <paramref name="blockCost"/> is the cost of each block, <paramref name="forcedCutCost"/> that of a cut where no end token falls.</summary>
    public DpPlanner(int blockSize = 63, int blockCost = 4, int forcedCutCost = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        this.blockSize = blockSize;
        this.blockCost = blockCost;
        this.forcedCutCost = forcedCutCost;
        var capacity = blockSize + 2;
        dequeIndex = new long[capacity];
        dequeValue = new long[capacity];
        dequePosition = new int[capacity];
        Push(0, -1, 0);
    }

    /// <summary>Cuts held for back-tracking (the undecided stretch); bounded however long the input.</summary>
    internal int StoredCuts => positions.Count;

    /// <summary>Tokens added so far.</summary>
    public int TokenCount => tokens;

    /// <summary>Adds the next token: <paramref name="endCost"/> is its end-token cost, or negative when it is not an end token.</summary>
    public void Add(int endCost)
    {
        if (finished) throw new InvalidOperationException("the plan is finished");
        if (tokens == int.MaxValue) throw new InvalidOperationException($"a DP split holds at most {int.MaxValue} tokens");
        var t = tokens++;
        while (t - lastCutPosition > blockSize) AddCut(lastCutPosition + blockSize, forcedCutCost);
        lastTokenIsEnd = endCost >= 0;
        if (lastTokenIsEnd) AddCut(t, endCost);
    }

    /// <summary>Block ranges [Start, End) of token indices that are final, in order; each is returned once.</summary>
    public IEnumerable<(int Start, int End)> TakeCommitted()
    {
        while (committed.Count > 0) yield return committed.Dequeue();
    }

    /// <summary>Ends the input: cuts at the last token if needed and commits the rest of the path. Returns the DP's total cost.</summary>
    public long Finish()
    {
        if (!finished)
        {
            finished = true;
            if (tokens > 0 && !lastTokenIsEnd) AddCut(tokens - 1, 0);
            CommitPathTo(baseIndex + positions.Count - 1);
        }
        return tokens == 0 ? 0 : lastValue;
    }

    private void AddCut(int position, int cost)
    {
        while (count > 0 && position - dequePosition[head] > blockSize) { head = (head + 1) % dequeIndex.Length; count--; }
        var from = dequeIndex[head];
        var value = dequeValue[head] + cost + blockCost;
        var index = baseIndex + positions.Count;
        positions.Add(position);
        backPointers.Add(from);
        while (count > 0 && dequeValue[(head + count - 1) % dequeIndex.Length] >= value) count--;
        Push(index, position, value);
        lastCutPosition = position;
        lastValue = value;
        if (positions.Count >= nextCheck) TryCommit();
    }

    private void Push(long index, int position, long value)
    {
        var at = (head + count) % dequeIndex.Length;
        dequeIndex[at] = index;
        dequePosition[at] = position;
        dequeValue[at] = value;
        count++;
    }

    // The latest cut every back-pointer chain from the last B tokens' cuts passes through, if it is stored.
    private void TryCommit()
    {
        var last = positions.Count - 1;
        var heads = new SortedSet<long>();
        for (var i = last; i >= 0 && positions[i] > lastCutPosition - blockSize; i--) heads.Add(baseIndex + i);
        while (heads.Count > 1)
        {
            var max = heads.Max;
            heads.Remove(max);
            var from = backPointers[(int)(max - baseIndex)];
            if (from < committedCut) break;
            heads.Add(from);
        }
        if (heads.Count == 1 && heads.Min > committedCut) CommitPathTo(heads.Min);
        nextCheck = Math.Max(CheckEvery, 2 * positions.Count);
    }

    // Emits the ranges from the last committed cut to cut `to` (on the final path) and drops the cuts before it.
    private void CommitPathTo(long to)
    {
        var ranges = new List<(int, int)>();
        for (var x = to; x > committedCut; )
        {
            var from = backPointers[(int)(x - baseIndex)];
            ranges.Add((positions[(int)(from - baseIndex)] + 1, positions[(int)(x - baseIndex)] + 1));
            x = from;
        }
        for (var i = ranges.Count - 1; i >= 0; i--) committed.Enqueue(ranges[i]);
        committedCut = to;
        var drop = (int)(to - baseIndex);
        positions.RemoveRange(0, drop);
        backPointers.RemoveRange(0, drop);
        baseIndex = to;
        nextCheck = Math.Max(CheckEvery, 2 * positions.Count);
    }
}
