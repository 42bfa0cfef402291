using CogLtx.Data;
using CogLtx.Reasoner;
using CogLtx.Splitter;
using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;

namespace CogLtx.Training;

/// <summary>
/// Turns data examples into query and document blocks (spec §1, §2, §7) with one tokenizer and one dataset-wide
/// <see cref="BlockIdCounter"/>:
/// <list type="bullet">
/// <item>Span QA: query = [CLS] + slot words + question (mode S); the answer's first and last tokens mark their
/// blocks (<c>start</c>/<c>end</c>); yes / no / no-answer point at their query slots.</item>
/// <item>Classification: query = [CLS][SEP] carrying the label id (20News).</item>
/// <item>Multi-label: query = [CLS] label name [SEP] carrying 1 (the document has the label) or 0 ([P] §4.4).</item>
/// <item>Documents with sentences (HotpotQA, synthetic) in <see cref="SplitMode.Sentence"/>: one mode-S sentence each,
/// prefixed by "title ;" when it has a paragraph title (spec §7), supporting sentences relevant (relevance 1),
/// origin = (title, index). Otherwise <see cref="TaskSetup.SplitMode"/> over
/// the whole text; a block is relevant when it overlaps a relevant span.</item>
/// </list>
/// </summary>
public sealed class ExampleConverter
{
    /// <summary>Query relevance in QA (spec §1: HotpotQA 2; NewsQA 3). Only read when query tokens follow relevance.</summary>
    public const int QaQueryRelevance = 2;

    private readonly ITokenizer tokenizer;
    private readonly TaskSetup setup;
    private readonly CogLtxOptions options;

    /// <summary>A converter with <paramref name="tokenizer"/> for the task <paramref name="setup"/>, with <paramref name="options"/>.</summary>
    public ExampleConverter(ITokenizer tokenizer, TaskSetup setup, CogLtxOptions options)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        this.tokenizer = tokenizer;
        this.setup = setup.Validate();
        this.options = options.Validate();
        SlotPositions = SlotPositionsOf(tokenizer, this.setup);
    }

    /// <summary>z+ position of each query slot word (1, 2, … after [CLS]).</summary>
    public IReadOnlyDictionary<string, int> SlotPositions { get; }

    /// <summary>
    /// Converts <paramref name="example"/>. Multi-label documents give one problem per label when
    /// <paramref name="negativeRng"/> is null (inference), else their labels plus
    /// <see cref="TaskSetup.NegativeLabelsPerPositive"/> random other labels each (training).
    /// <paramref name="documentTokens"/>, when given, must be <c>tokenizer.Tokenize(example.Text)</c>, made by a caller
    /// that needed them too (the experiment runner's baselines): the paths that read the whole text use them instead of
    /// tokenizing it again.
    /// </summary>
    public IReadOnlyList<CogLtxExample> Convert(LongDocExample example, BlockIdCounter counter, Rng? negativeRng = null,
        IReadOnlyList<Token>? documentTokens = null)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(counter);
        var tokens = new Lazy<IReadOnlyList<Token>>(() => documentTokens ?? tokenizer.Tokenize(example.Text));
        return setup.Task switch
        {
            ReasonerTask.SpanQa => [ConvertQa(example, counter, tokens)],
            ReasonerTask.Classification => [ConvertClassification(example, counter, tokens)],
            ReasonerTask.MultiLabel => ConvertMultiLabel(example, counter, negativeRng, tokens),
            _ => throw new InvalidOperationException($"unknown task {setup.Task}"),
        };
    }

    /// <summary>Converts every example of a list with one counter (positions increase over the whole list).</summary>
    public List<CogLtxExample> ConvertAll(IEnumerable<LongDocExample> examples, BlockIdCounter counter, Rng? negativeRng = null)
    {
        var result = new List<CogLtxExample>();
        foreach (var e in examples) result.AddRange(Convert(e, counter, negativeRng));
        return result;
    }

    /// <summary>
    /// <see cref="ConvertAll(IEnumerable{LongDocExample}, BlockIdCounter, Rng?)"/> for examples whose text the caller has
    /// tokenized already (each with <c>tokenizer.Tokenize(text)</c>), so that no document is tokenized twice.
    /// </summary>
    public List<CogLtxExample> ConvertAll(IEnumerable<(LongDocExample Example, IReadOnlyList<Token> Tokens)> tokenized, BlockIdCounter counter)
    {
        var result = new List<CogLtxExample>();
        foreach (var (example, tokens) in tokenized) result.AddRange(Convert(example, counter, null, tokens));
        return result;
    }

    private CogLtxExample ConvertQa(LongDocExample example, BlockIdCounter counter, Lazy<IReadOnlyList<Token>> tokens)
    {
        if (example.Question is null) throw new InvalidDataException($"example {example.Id}: span QA needs a question");
        var prefix = string.Concat(setup.QuerySlots.Select(s => s + " "));
        var questionTokens = tokenizer.Tokenize(prefix + example.Question);
        int? slot = example.Answer?.Kind switch
        {
            AnswerKind.Yes => SlotIndex(TaskSetup.YesSlot),
            AnswerKind.No => SlotIndex(TaskSetup.NoSlot),
            AnswerKind.NoAnswer => SlotIndex(TaskSetup.NoAnswerSlot),
            _ => null,
        };
        var queryProps = new BlockProperties { Relevance = QaQueryRelevance, ExampleId = example.Id, AnswerStartToken = slot, AnswerEndToken = slot };
        var query = SentenceSplitter.SplitQuery(questionTokens, tokenizer.Specials.Cls, tokenizer.Specials.Sep, counter, options.BlockSize, queryProps);

        CharSpan? answer = null;
        if (example.Answer is { IsLocated: true } located)
            answer = located.Spans.FirstOrDefault(s => example.RelevantSpans.Any(r => r.Overlaps(s)), located.Spans[0]);
        var document = SplitDocument(example, counter, new BlockProperties { ExampleId = example.Id }, answer, tokens);
        var hasTarget = slot is not null || document.Any(b => b.AnswerStart is not null);
        return Make(example, query, document, hasTarget);
    }

    private CogLtxExample ConvertClassification(LongDocExample example, BlockIdCounter counter, Lazy<IReadOnlyList<Token>> tokens)
    {
        int? label = example.Labels.Count == 1 ? LabelId(example, example.Labels[0]) : null;
        if (example.Labels.Count > 1)
            throw new InvalidDataException($"example {example.Id}: single-label classification, but it has {example.Labels.Count} labels");
        var props = new BlockProperties { ExampleId = example.Id, Label = label, LabelName = label is { } l ? setup.LabelNames[l] : null };
        var query = SentenceSplitter.SplitQuery([], tokenizer.Specials.Cls, tokenizer.Specials.Sep, counter, options.BlockSize, props);
        var document = SplitDocument(example, counter, new BlockProperties { ExampleId = example.Id }, null, tokens);
        return Make(example, query, document, label is not null);
    }

    // The document is split once, under the first label queried; every later label reads copies of those blocks at
    // new positions (each problem keeps its own relevance and estimations), made in the order a new split would give.
    private List<CogLtxExample> ConvertMultiLabel(LongDocExample example, BlockIdCounter counter, Rng? negativeRng, Lazy<IReadOnlyList<Token>> tokens)
    {
        var gold = example.Labels.Select(l => LabelId(example, l)).ToHashSet();
        IEnumerable<int> queried = Enumerable.Range(0, setup.LabelNames.Count);
        if (negativeRng is not null)
        {
            var negatives = Enumerable.Range(0, setup.LabelNames.Count).Where(l => !gold.Contains(l)).ToList();
            negativeRng.Shuffle(negatives);
            queried = gold.Order().Concat(negatives.Take(gold.Count * setup.NegativeLabelsPerPositive)).Order();
        }
        var result = new List<CogLtxExample>();
        IReadOnlyList<Block>? split = null;
        foreach (var label in queried)
        {
            var name = setup.LabelNames[label];
            var props = new BlockProperties { ExampleId = example.Id, Label = gold.Contains(label) ? 1 : 0, LabelName = name };
            var query = SentenceSplitter.SplitQuery(tokenizer.Tokenize(name), tokenizer.Specials.Cls, tokenizer.Specials.Sep, counter, options.BlockSize, props);
            IReadOnlyList<Block> document = split is null
                ? split = SplitDocument(example, counter, new BlockProperties { ExampleId = example.Id }, null, tokens)
                : [.. split.Select(b => b.CopyAt(counter.Next()))];
            result.Add(Make(example, query, document, true) with { LabelId = label });
        }
        return result;
    }

    private static CogLtxExample Make(LongDocExample example, IReadOnlyList<Block> query, IReadOnlyList<Block> document, bool hasTarget) =>
        new(example, new ExampleBlocks(query, document), hasTarget) { GoldRelevant = [.. document.Where(b => b.IsRelevant)] };

    /// <summary>
    /// Document blocks. Sentence-given documents: tokens are grouped by the sentence holding their start; a sentence
    /// with a paragraph title is prefixed by the title's tokens and ";" (spec §7, HotpotQA), and the title line itself
    /// gives no block; other tokens between sentences form their own groups unless they are blank. The answer is found
    /// by character span on the tokens the blocks are made of (spec §1), so prefixes and per-sentence tokenization
    /// cannot shift it. The text is tokenized once, by whichever path splits it.
    /// </summary>
    // tokens: the whole text's, read by the DP split and by the sentence groups; sentence mode without sentences
    // tokenizes sentence by sentence instead (BlockSplitter.SentenceTokens) and never reads them.
    private IReadOnlyList<Block> SplitDocument(LongDocExample example, BlockIdCounter counter, BlockProperties baseProps, CharSpan? answer,
        Lazy<IReadOnlyList<Token>> tokens)
    {
        if (example.Sentences is not { Count: > 0 } sentences || setup.SplitMode == SplitMode.Dp)
        {
            var props = baseProps with { AnswerSpan = answer };
            var blocks = setup.SplitMode == SplitMode.Dp
                ? BlockSplitter.SplitDp(tokens.Value, tokenizer.Specials.Sep, counter, options, props)
                : BlockSplitter.Split(example.Text, tokenizer, setup.SplitMode, counter, options, props);
            foreach (var b in blocks)
                if (example.RelevantSpans.Any(r => r.Overlaps(b.Span))) b.Relevance = Math.Max(b.Relevance, 1);
            return blocks;
        }
        var groups = SentenceGroups(example, sentences, tokens.Value);
        var range = answer is { } a ? AnswerTokens.Resolve(groups.SelectMany(g => g.Tokens), a) : null;
        var result = new List<TokenizedSentence>(groups.Count);
        var offset = 0;
        foreach (var (groupTokens, sentence) in groups)
        {
            var span = new CharSpan(groupTokens.FirstOrDefault(t => t.End > t.Start, groupTokens[0]).Start, groupTokens[^1].End);
            var relevant = sentence?.IsSupporting == true || example.RelevantSpans.Any(r => r.Overlaps(span));
            var props = baseProps with
            {
                Relevance = relevant ? 1 : 0,
                Origin = sentence is null ? null : new BlockOrigin(sentence.Title ?? "", sentence.Index),
                AnswerStartToken = range?.First - offset,
                AnswerEndToken = range?.Last - offset,
            };
            result.Add(new TokenizedSentence(groupTokens, props));
            offset += groupTokens.Count;
        }
        return SentenceSplitter.Split(result, tokenizer.Specials.Sep, counter, options.BlockSize);
    }

    // The document's tokens grouped by sentence, title prefixes added, title lines and blank runs between sentences dropped.
    private List<(List<Token> Tokens, Sentence? Sentence)> SentenceGroups(LongDocExample example, IReadOnlyList<Sentence> sentences, IReadOnlyList<Token> tokens)
    {
        var titles = sentences.Select(x => x.Title).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, IReadOnlyList<Token>>(StringComparer.Ordinal);
        var groups = new List<(List<Token>, Sentence?)>();
        var current = new List<Token>();
        var currentSentence = -1;
        void Flush()
        {
            if (current.Count == 0) return;
            var sentence = currentSentence >= 0 ? sentences[currentSentence] : null;
            if (sentence is null)
            {
                var text = example.Text[current[0].Start..current[^1].End].Trim();
                if (text.Length > 0 && !titles.Contains(text)) groups.Add((current, null));
            }
            else if (sentence.Title is { } title)
            {
                if (!prefixes.TryGetValue(title, out var prefix)) prefixes[title] = prefix = tokenizer.Tokenize(title + " ;");
                var at = sentence.Span.Start;
                groups.Add(([.. prefix.Select(t => t with { Start = at, End = at }), .. current], sentence));
            }
            else groups.Add((current, sentence));
            current = [];
        }
        var s = 0;
        foreach (var token in tokens)
        {
            while (s < sentences.Count && sentences[s].Span.End <= token.Start) s++;
            var inside = s < sentences.Count && sentences[s].Span.Start <= token.Start ? s : -1;
            if (inside != currentSentence) Flush();
            currentSentence = inside;
            current.Add(token);
        }
        Flush();
        return groups;
    }

    private int LabelId(LongDocExample example, string label)
    {
        for (var i = 0; i < setup.LabelNames.Count; i++)
            if (string.Equals(setup.LabelNames[i], label, StringComparison.Ordinal)) return i;
        throw new InvalidDataException($"example {example.Id}: label \"{label}\" is not one of the model's labels ({string.Join(", ", setup.LabelNames)})");
    }

    private int? SlotIndex(string slot)
    {
        var i = setup.QuerySlots.ToList().IndexOf(slot);
        return i < 0 ? null : i;
    }

    /// <summary>
    /// z+ position of each of <paramref name="setup"/>'s query slot words (1, 2, … after [CLS]). Every slot word must be
    /// one known token of <paramref name="tokenizer"/>, so that slot k sits at position k + 1 (spec §2); otherwise
    /// <see cref="InvalidDataException"/> names the word.
    /// </summary>
    public static IReadOnlyDictionary<string, int> SlotPositionsOf(ITokenizer tokenizer, TaskSetup setup)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(setup);
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        if (setup.QuerySlots.Count == 0) return positions;
        var prefix = string.Concat(setup.QuerySlots.Select(s => s + " "));
        var tokens = tokenizer.Tokenize(prefix + "x");
        for (var i = 0; i < setup.QuerySlots.Count; i++)
        {
            var alone = tokenizer.Tokenize(setup.QuerySlots[i]);
            if (alone.Count != 1 || alone[0].Id == tokenizer.Specials.Unk || tokens.Count <= i || tokens[i].End > prefix.Length)
                throw new InvalidDataException(
                    $"query slot \"{setup.QuerySlots[i]}\" is not a single known token of this tokenizer ({alone.Count} tokens); " +
                    "add it to the vocabulary or remove it from the task's query slots");
            positions[setup.QuerySlots[i]] = i + 1;
        }
        return positions;
    }
}
