namespace CogLtx.Models;

/// <summary>
/// How <see cref="ModelLoader"/> treats a checkpoint that does not fit the model exactly.
/// Encoder weights (<c>embeddings.*</c>, <c>encoder.*</c>) must always be present. Other missing keys (a new
/// task head, a pooler) are initialised as transformers' <c>_init_weights</c> does and reported, unless
/// <see cref="Strict"/>; unexpected keys (another task's head) are reported, unless <see cref="Strict"/>.
/// </summary>
public sealed record LoadOptions
{
    /// <summary>Every missing or unexpected key is an error.</summary>
    public bool Strict { get; init; }

    /// <summary>Seed of the initialisation of missing (head) parameters.</summary>
    public ulong InitSeed { get; init; }

    /// <summary>Seed of the model's dropout stream.</summary>
    public ulong DropoutSeed { get; init; } = 1;

    /// <summary>The defaults.</summary>
    public static readonly LoadOptions Default = new();
}

/// <summary>What loading did besides copying tensors.</summary>
/// <param name="WeightsFiles">The safetensors file(s) read.</param>
/// <param name="MissingKeys">Parameters the checkpoint lacked, freshly initialised (a new head).</param>
/// <param name="UnexpectedKeys">Checkpoint tensors the model does not use (another task's head).</param>
/// <param name="IgnoredKeys">Tensors skipped on purpose: tied decoder copies and integer buffers such as <c>embeddings.position_ids</c>.</param>
public sealed record LoadReport(IReadOnlyList<string> WeightsFiles, IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys, IReadOnlyList<string> IgnoredKeys)
{
    /// <summary>True when every parameter came from the checkpoint and every tensor was used.</summary>
    public bool IsExact => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0;

    /// <summary>The report in one line: files loaded, then missing and unused keys.</summary>
    public override string ToString() =>
        $"loaded {string.Join(", ", WeightsFiles)}" +
        (MissingKeys.Count > 0 ? $"; initialised (missing from the checkpoint): {string.Join(", ", MissingKeys)}" : "") +
        (UnexpectedKeys.Count > 0 ? $"; unused checkpoint keys: {string.Join(", ", UnexpectedKeys)}" : "") +
        (IgnoredKeys.Count > 0 ? $"; ignored: {string.Join(", ", IgnoredKeys)}" : "");
}

/// <summary>The model families a checkpoint's "architectures" entry can name.</summary>
public enum HfTask
{
    /// <summary>XxxModel: last_hidden_state (+ pooler_output).</summary>
    Base,

    /// <summary>XxxForQuestionAnswering: start_logits, end_logits.</summary>
    QuestionAnswering,

    /// <summary>XxxForSequenceClassification: logits (B, num_labels).</summary>
    SequenceClassification,

    /// <summary>XxxForTokenClassification: logits (B, T, num_labels).</summary>
    TokenClassification,

    /// <summary>XxxForMaskedLM: logits (B, T, vocab).</summary>
    MaskedLM,
}
