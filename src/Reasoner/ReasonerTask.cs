namespace CogLtx.Reasoner;

/// <summary>What the reasoner solves on z+ (spec §4).</summary>
public enum ReasonerTask
{
    /// <summary>Extractive QA: start/end logits over z+ (NewsQA, HotpotQA; models.py <c>QAReasoner</c>).</summary>
    SpanQa,

    /// <summary>Single-label classification on the <c>&lt;s&gt;</c> vector (20News; <c>RobertaForSequenceClassification</c>).</summary>
    Classification,

    /// <summary>
    /// Multi-label classification, [P] §4.4 (Alibaba; not in the reference code, spec §9.14 "unverified"): one shared
    /// binary classifier over [CLS] label-name [SEP] document, i.e. one (label, document) pair per input whose query
    /// block is the label name and whose target says whether the document carries that label.
    /// </summary>
    MultiLabel,
}
