using CogLtx.Text.Tokenization;

namespace CogLtx.Training.Pretraining;

/// <summary>
/// One packed input: <c>[CLS] t₁ … t_{L−2} [SEP]</c> with padding after the last sequence of a split only.
/// <see cref="WordStarts"/> marks tokens that begin a word: the first token of a document and every token separated
/// from the one before by whitespace (offsets apart), so that "un ##believ ##able" and "Ġun believ able" are one word each.
/// </summary>
public sealed record PackedSequence(int[] Ids, int[] AttentionMask, bool[] WordStarts);

/// <summary>
/// A corpus tokenized and packed as RoBERTa's FULL-SENTENCES inputs (Liu et al. 2019 §4.2): documents follow each other
/// across sequence boundaries, each ended by the separator token, cut into sequences of <c>maxLength</c> tokens with
/// [CLS] first and [SEP] last. The held-out split takes whole documents, spread evenly through the corpus (document
/// i is held out when ⌊(i+1)·f⌋ &gt; ⌊i·f⌋ for the fraction f), so no held-out text is ever trained on.
/// </summary>
public sealed class PackedCorpus
{
    private PackedCorpus(List<PackedSequence> train, List<PackedSequence> heldOut, long[] trainCounts, int documents, ulong checksum)
    {
        Train = train;
        HeldOut = heldOut;
        TrainTokenCounts = trainCounts;
        Documents = documents;
        Checksum = checksum;
    }

    /// <summary>Training sequences ([CLS] tokens [SEP], packed across document boundaries).</summary>
    public IReadOnlyList<PackedSequence> Train { get; }

    /// <summary>Held-out sequences, from whole documents that are never trained on.</summary>
    public IReadOnlyList<PackedSequence> HeldOut { get; }

    /// <summary>How often each vocabulary id occurs in the training sequences, special tokens and padding excluded (the unigram baseline).</summary>
    public IReadOnlyList<long> TrainTokenCounts { get; }

    /// <summary>Documents read.</summary>
    public int Documents { get; }

    /// <summary>FNV-1a over every packed id of both splits: a resumed run checks it sees the same corpus.</summary>
    public ulong Checksum { get; }

    /// <summary>Tokenizes and packs the documents into sequences of at most <paramref name="maxLength"/> tokens, holding out a <paramref name="heldOutFraction"/> of whole documents.</summary>
    public static PackedCorpus Build(IEnumerable<CorpusDocument> documents, ITokenizer tokenizer, int maxLength, double heldOutFraction)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (maxLength < 3) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "sequence length must be ≥ 3 ([CLS], a token, [SEP])");
        if (!(heldOutFraction is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "held-out fraction must be in [0, 1)");
        var specials = tokenizer.Specials;
        var train = new Packer(specials, maxLength);
        var heldOut = new Packer(specials, maxLength);
        var count = 0;
        foreach (var document in documents)
        {
            var tokens = tokenizer.Tokenize(document.Text);
            if (tokens.Count == 0) continue;
            var isHeldOut = Math.Floor((count + 1) * heldOutFraction) > Math.Floor(count * heldOutFraction);
            (isHeldOut ? heldOut : train).Add(tokens);
            count++;
        }
        if (count == 0) throw new InvalidDataException("the corpus holds no document with any token");
        train.Flush();
        heldOut.Flush();
        if (train.Sequences.Count == 0) throw new InvalidDataException($"all {count} documents of the corpus went to the held-out split; lower the held-out fraction");
        var counts = new long[tokenizer.VocabSize];
        var checksum = 14695981039346656037UL;
        foreach (var sequence in train.Sequences.Concat(heldOut.Sequences))
            foreach (var id in sequence.Ids) checksum = (checksum ^ (uint)id) * 1099511628211UL;
        var special = new HashSet<int> { specials.Cls, specials.Sep, specials.Pad, specials.Mask };
        foreach (var sequence in train.Sequences)
            for (var i = 0; i < sequence.Ids.Length; i++)
                if (sequence.AttentionMask[i] != 0 && !special.Contains(sequence.Ids[i])) counts[sequence.Ids[i]]++;
        return new PackedCorpus(train.Sequences, heldOut.Sequences, counts, count, checksum);
    }

    private sealed class Packer(SpecialTokens specials, int maxLength)
    {
        private readonly List<int> ids = [];
        private readonly List<bool> starts = [];

        public List<PackedSequence> Sequences { get; } = [];

        public void Add(IReadOnlyList<Token> tokens)
        {
            for (var i = 0; i < tokens.Count; i++)
            {
                ids.Add(tokens[i].Id);
                starts.Add(i == 0 || tokens[i].Start > tokens[i - 1].End);
                if (ids.Count == maxLength - 2) Emit();
            }
            ids.Add(specials.Sep);
            starts.Add(true);
            if (ids.Count == maxLength - 2) Emit();
        }

        public void Flush()
        {
            if (ids.Count > 0) Emit();
        }

        private void Emit()
        {
            var length = ids.Count + 2;
            var seq = new int[maxLength];
            var mask = new int[maxLength];
            var wordStarts = new bool[maxLength];
            Array.Fill(seq, specials.Pad);
            seq[0] = specials.Cls;
            ids.CopyTo(seq, 1);
            seq[length - 1] = specials.Sep;
            Array.Fill(mask, 1, 0, length);
            wordStarts[0] = wordStarts[length - 1] = true;
            starts.CopyTo(wordStarts, 1);
            Sequences.Add(new PackedSequence(seq, mask, wordStarts));
            ids.Clear();
            starts.Clear();
        }
    }
}
