using System.Collections.Concurrent;
using System.Text;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// Byte-level BPE (<c>tokenizers/src/models/bpe/{model,word}.rs</c>): a pre-token's UTF-8 bytes start as one symbol
/// each, and the adjacent pair with the lowest merge rank is merged (leftmost first among equal ranks) until no pair
/// has a merge. Words up to <see cref="SmallWordBytes"/> bytes run on stack arrays, rescanning the pair ranks; longer
/// ones (a URL, base64) use a priority queue, O(n log n), as <c>Word::merge_all</c> does. Results are cached by the pre-token's text, thread-safely; the cache stops growing at <see cref="CacheCapacity"/>
/// entries and skips pre-tokens longer than <see cref="CacheMaxKeyLength"/>, as <c>tokenizers</c>' cache does.
/// </summary>
internal sealed class BpeModel
{
    public const int CacheCapacity = 50_000;
    public const int CacheMaxKeyLength = 256;
    public const int SmallWordBytes = 128;

    private readonly Dictionary<long, (int Rank, int Id)> merges;
    private readonly int[] byteIds = new int[256];
    private readonly ConcurrentDictionary<string, int[]> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> cacheLookup;
    private int cacheCount;

    /// <param name="vocab">Byte-level token string → id (vocab.json).</param>
    /// <param name="merges">Merge rules in rank order (merges.txt without its header).</param>
    /// <param name="source">Names the vocabulary file in errors.</param>
    /// <param name="mergeLocation">Where merge i was read ("merges.txt line 7"), for errors.</param>
    public BpeModel(
        IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, string source,
        Func<int, string> mergeLocation)
    {
        Vocab = vocab;
        var size = vocab.Count == 0 ? 0 : vocab.Values.Max() + 1;
        IdToToken = new string?[size];
        foreach (var (token, id) in vocab) IdToToken[id] = token;

        for (var b = 0; b < 256; b++)
        {
            var symbol = ByteLevel.ByteToChar[b].ToString();
            byteIds[b] = vocab.TryGetValue(symbol, out var id)
                ? id
                : throw new InvalidDataException($"{source}: the vocabulary lacks the byte-level symbol '{symbol}' of byte 0x{b:X2}");
        }

        this.merges = new Dictionary<long, (int, int)>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            int Lookup(string token) => vocab.TryGetValue(token, out var id)
                ? id
                : throw new InvalidDataException($"{mergeLocation(rank)}: merge '{left} {right}' needs '{token}', which is not in the vocabulary");
            var key = Key(Lookup(left), Lookup(right));
            // A repeated merge keeps its first (lowest) rank, as the HashMap built by tokenizers' BPE builder.
            this.merges.TryAdd(key, (rank, Lookup(left + right)));
        }
        cacheLookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyDictionary<string, int> Vocab { get; }

    public string?[] IdToToken { get; }

    public int MergeCount => merges.Count;

    /// <summary>Appends the BPE tokens of the pre-token <paramref name="text"/>[start, end), with offsets into <paramref name="text"/>.</summary>
    public void TokenizeWord(string text, int start, int end, List<Token> output)
    {
        var word = text.AsSpan(start, end - start);
        if (!cacheLookup.TryGetValue(word, out var ids))
        {
            ids = Merge(word);
            // ConcurrentDictionary.Count takes every lock; a separate counter keeps misses cheap.
            if (word.Length <= CacheMaxKeyLength && Volatile.Read(ref cacheCount) < CacheCapacity && cacheLookup.TryAdd(word, ids))
                Interlocked.Increment(ref cacheCount);
        }
        AppendWithOffsets(text, start, ids, output);
    }

    /// <summary>
    /// Offsets of byte-level tokens: a token covers whole or partial UTF-8 sequences of the original characters, and
    /// spans from the first to the last character it touches (two tokens splitting one emoji both get its span).
    /// </summary>
    private void AppendWithOffsets(string text, int start, int[] ids, List<Token> output)
    {
        var position = start;        // UTF-16 index of the current character
        var bytesLeft = 0;           // its UTF-8 bytes not yet consumed
        var units = 0;               // its length in UTF-16 units
        foreach (var id in ids)
        {
            var token = IdToToken[id]!;
            var tokenBytes = token.Length;
            if (bytesLeft == 0) ReadCharacter(text, position, out bytesLeft, out units);
            var tokenStart = position;
            var tokenEnd = position + units;
            while (true)
            {
                if (tokenBytes < bytesLeft)
                {
                    bytesLeft -= tokenBytes;
                    tokenEnd = position + units;
                    break;
                }
                tokenBytes -= bytesLeft;
                tokenEnd = position + units;
                position += units;
                bytesLeft = 0;
                if (tokenBytes == 0) break;
                ReadCharacter(text, position, out bytesLeft, out units);
            }
            output.Add(new Token(id, token, tokenStart, tokenEnd));
        }
    }

    private static void ReadCharacter(string text, int index, out int utf8Length, out int utf16Length)
    {
        Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out utf16Length);
        utf8Length = rune.Utf8SequenceLength;
    }

    /// <summary>The merged token ids of <paramref name="word"/>, bypassing the cache.</summary>
    internal int[] Merge(ReadOnlySpan<char> word, bool forceQueue = false)
    {
        var byteCount = System.Text.Encoding.UTF8.GetByteCount(word);
        Span<byte> bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        System.Text.Encoding.UTF8.GetBytes(word, bytes);
        return bytes.Length <= SmallWordBytes && !forceQueue ? MergeSmall(bytes) : MergeWithQueue(bytes);
    }

    /// <summary>
    /// Small words: symbols and the rank of each adjacent pair in compact stack arrays; each step merges the leftmost
    /// lowest-rank pair, shifts the tail left by one and re-ranks the two pairs that changed.
    /// </summary>
    private int[] MergeSmall(ReadOnlySpan<byte> bytes)
    {
        var n = bytes.Length;
        Span<int> symbols = stackalloc int[n];
        Span<int> ranks = stackalloc int[n];     // ranks[i]: rank of the pair (i, i+1), int.MaxValue when none
        Span<int> merged = stackalloc int[n];    // merged[i]: id that pair becomes
        for (var i = 0; i < n; i++) symbols[i] = byteIds[bytes[i]];
        for (var i = 0; i < n; i++) RankPair(symbols, ranks, merged, i, n);
        while (n > 1)
        {
            var at = -1;
            var best = int.MaxValue;
            for (var i = 0; i < n - 1; i++)
            {
                if (ranks[i] < best)
                {
                    best = ranks[i];
                    at = i;
                }
            }
            if (at < 0) break;
            symbols[at] = merged[at];
            symbols[(at + 2)..n].CopyTo(symbols[(at + 1)..]);
            ranks[(at + 2)..n].CopyTo(ranks[(at + 1)..]);
            merged[(at + 2)..n].CopyTo(merged[(at + 1)..]);
            n--;
            if (at > 0) RankPair(symbols, ranks, merged, at - 1, n);
            RankPair(symbols, ranks, merged, at, n);
        }
        return symbols[..n].ToArray();
    }

    private void RankPair(Span<int> symbols, Span<int> ranks, Span<int> merged, int i, int n)
    {
        if (i + 1 < n && merges.TryGetValue(Key(symbols[i], symbols[i + 1]), out var merge))
        {
            ranks[i] = merge.Rank;
            merged[i] = merge.Id;
        }
        else
        {
            ranks[i] = int.MaxValue;
        }
    }

    /// <summary>Long words: a linked list of symbols and a queue of candidate merges ordered by (rank, position).</summary>
    private int[] MergeWithQueue(ReadOnlySpan<byte> bytes)
    {
        var n = bytes.Length;
        var symbols = new int[n];
        var next = new int[n];
        var previous = new int[n];
        for (var i = 0; i < n; i++)
        {
            symbols[i] = byteIds[bytes[i]];
            next[i] = i + 1 < n ? i + 1 : -1;
            previous[i] = i - 1;
        }

        // Stale candidates (a side already merged into something else) are recognised by their ids and skipped.
        var queue = new PriorityQueue<(int Left, int LeftId, int RightId), long>();
        void Offer(int left)
        {
            var right = next[left];
            if (right >= 0 && merges.TryGetValue(Key(symbols[left], symbols[right]), out var merge))
                queue.Enqueue((left, symbols[left], symbols[right]), ((long)merge.Rank << 32) | (uint)left);
        }
        for (var i = 0; i + 1 < n; i++) Offer(i);

        var alive = n;
        while (queue.TryDequeue(out var candidate, out _))
        {
            var (left, leftId, rightId) = candidate;
            var right = next[left];
            if (right < 0 || symbols[left] != leftId || symbols[right] != rightId) continue;
            symbols[left] = merges[Key(leftId, rightId)].Id;
            symbols[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0) previous[next[right]] = left;
            alive--;
            if (previous[left] >= 0) Offer(previous[left]);
            Offer(left);
        }

        var result = new int[alive];
        for (int i = 0, k = 0; i >= 0 && k < alive; i = next[i]) result[k++] = symbols[i];
        return result;
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}
