namespace CogLtx.Text.Tasks;

/// <summary>
/// What a data set asks the reasoner to solve on z+ (spec §4): the data readers set it, the reasoner builds its head
/// from it. Here, in the lowest layer both need, so that there is one name for the concept.
/// </summary>
public enum ReasonerTask
{
    /// <summary>
    /// Extractive QA: question + document → answer span, yes / no or no-answer; start/end logits over z+ (HotpotQA,
    /// NewsQA; models.py <c>QAReasoner</c>).
    /// </summary>
    SpanQa,

    /// <summary>
    /// One label per document, read from the <c>&lt;s&gt;</c> vector (20 Newsgroups, movie reviews, hyperpartisan, BBC;
    /// <c>RobertaForSequenceClassification</c> / <c>BertForSequenceClassification</c>).
    /// </summary>
    Classification,

    /// <summary>
    /// Any number of labels per document, [P] §4.4 (Alibaba; users' JSONL with <c>labels</c>; not in the reference code,
    /// spec §9.14 "unverified"): one shared binary classifier over [CLS] label-name [SEP] document, i.e. one (label,
    /// document) pair per input whose query block is the label name and whose target says whether the document
    /// carries that label.
    /// </summary>
    MultiLabel,
}

/// <summary>
/// What a QA answer is: a gold answer's kind (data readers; never <see cref="NotInContext"/>) and a decoded span's
/// meaning (spec §4/§6: position 0 = answer not in z; query slots = yes / no / no answer).
/// </summary>
public enum AnswerKind
{
    /// <summary>Decoding only: the reasoner points at position 0 (<c>&lt;s&gt;</c>), the answer is not in the selected blocks.</summary>
    NotInContext,

    /// <summary>A span of the document (a gold answer's <c>Spans</c> hold its occurrences; empty when it could not be located).</summary>
    Span,

    /// <summary>HotpotQA comparison answer "yes" (CogLTX: a query slot).</summary>
    Yes,

    /// <summary>HotpotQA comparison answer "no" (CogLTX: a query slot).</summary>
    No,

    /// <summary>The document does not answer the question (NewsQA "None"; CogLTX: a query slot).</summary>
    NoAnswer,
}

/// <summary>A supporting fact: paragraph title and sentence index within the paragraph (HotpotQA <c>supporting_facts</c> entry).</summary>
public readonly record struct SupportingFact(string Title, int SentenceIndex);
