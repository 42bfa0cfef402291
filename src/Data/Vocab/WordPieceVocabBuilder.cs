using System.Text;
using CogLtx.Tensors.Io;

namespace CogLtx.Data;

/// <summary>Options of <see cref="WordPieceVocabBuilder"/>.</summary>
public sealed record WordPieceVocabOptions
{
    /// <summary>Largest vocabulary, special tokens included (bert-base: 30,522).</summary>
    public int MaxSize { get; init; } = 30_522;

    /// <summary>Words seen fewer times are left to the character pieces.</summary>
    public int MinFrequency { get; init; } = 1;

    /// <summary>Lower-case words (an uncased vocabulary; load it with lower-casing on).</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>The pre-tokenizer that yields words; default <see cref="BasicTokenization.Split"/>. Plug in the tokenizer's own to match it exactly.</summary>
    public Func<string, IEnumerable<string>>? PreTokenizer { get; init; }
}

/// <summary>
/// Builds a BERT-style <c>vocab.txt</c> from a corpus so models can be trained from scratch on any dataset:
/// <c>[PAD] [UNK] [CLS] [SEP] [MASK]</c> (ids 0–4), then every character seen both as a word start <c>c</c> and as a
/// continuation <c>##c</c> (so any word made of seen characters tokenizes without [UNK]), then whole words by
/// descending frequency (ties in ordinal order) until <see cref="WordPieceVocabOptions.MaxSize"/>. Words that do
/// not fit are split by the WordPiece tokenizer's greedy longest match into known words and ## pieces.
/// <para>
/// A word-level vocabulary rather than a trained subword one (HF <c>WordPieceTrainer</c>): the synthetic tasks'
/// vocabulary is small enough that every word fits, and for real corpora it keeps building instant and deterministic.
/// </para>
/// </summary>
public static class WordPieceVocabBuilder
{
    /// <summary>Special tokens, first in every built vocabulary (ids 0–4).</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>A vocabulary (one token per entry, id = index) for <paramref name="texts"/>: the special tokens, then their words.</summary>
    public static IReadOnlyList<string> Build(IEnumerable<string> texts, WordPieceVocabOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new WordPieceVocabOptions();
        if (options.MaxSize < SpecialTokens.Count)
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxSize {options.MaxSize} cannot hold the {SpecialTokens.Count} special tokens");
        var split = options.PreTokenizer ?? (text => BasicTokenization.Split(text, options.Lowercase));
        var words = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var word in split(text))
            {
                var key = options.Lowercase ? word.ToLowerInvariant() : word;
                words[key] = words.GetValueOrDefault(key) + 1;
            }

        var characters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (word, count) in words)
            foreach (var rune in word.EnumerateRunes())
            {
                var c = rune.ToString();
                characters[c] = characters.GetValueOrDefault(c) + count;
            }

        var vocab = new List<string>(SpecialTokens);
        var seen = new HashSet<string>(vocab, StringComparer.Ordinal);
        void Add(string token)
        {
            if (vocab.Count < options.MaxSize && seen.Add(token)) vocab.Add(token);
        }
        // Characters first, most frequent first, so a tight budget keeps the useful ones; both forms of one
        // character are added together.
        foreach (var c in ByFrequency(characters))
        {
            if (vocab.Count + 2 > options.MaxSize) break;
            Add(c);
            Add("##" + c);
        }
        foreach (var word in ByFrequency(words))
        {
            if (vocab.Count >= options.MaxSize) break;
            if (words[word] >= options.MinFrequency) Add(word);
        }
        return vocab;
    }

    /// <summary>
    /// A vocabulary from a dataset's training texts, questions and answers (test examples stay out, as a from-scratch
    /// model must not see the test vocabulary), plus its label names' words.
    /// </summary>
    public static IReadOnlyList<string> Build(Dataset dataset, WordPieceVocabOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var texts = dataset.Train.SelectMany(e => new[] { e.Text, e.Question ?? "", e.Answer?.Text ?? "" }).Concat(dataset.LabelNames);
        return Build(texts, options);
    }

    /// <summary>Writes <c>vocab.txt</c>: one token per line, UTF-8 without BOM, '\n' line ends; the line number (from 0) is the id.</summary>
    public static void Write(IReadOnlyList<string> vocab, string path)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        var duplicates = vocab.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicates is not null) throw new ArgumentException($"vocabulary lists '{duplicates.Key}' twice", nameof(vocab));
        var bad = vocab.FirstOrDefault(t => t.Length == 0 || t.Any(char.IsWhiteSpace));
        if (bad is not null) throw new ArgumentException($"vocabulary token '{bad}' is empty or contains whitespace", nameof(vocab));
        var text = new StringBuilder();
        foreach (var token in vocab) text.Append(token).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static IEnumerable<string> ByFrequency(Dictionary<string, long> counts) =>
        counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key);
}
