namespace CogLtx.Text.Tokenization;

/// <summary>The strings of the five special tokens a model needs, before they are looked up in a vocabulary.</summary>
internal sealed record SpecialTokenNames(string Cls, string Sep, string Pad, string Unk, string Mask)
{
    public static SpecialTokenNames Bert { get; } = new("[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]");

    public static SpecialTokenNames Roberta { get; } = new("<s>", "</s>", "<pad>", "<unk>", "<mask>");

    public IEnumerable<string> All => [Cls, Sep, Pad, Unk, Mask];

    /// <summary>Ids of the names; <paramref name="source"/> names the file in the error when one is missing.</summary>
    public SpecialTokens Resolve(IReadOnlyDictionary<string, int> vocab, string source) => Resolve(
        token => vocab.TryGetValue(token, out var id) ? id : null, source);

    public SpecialTokens Resolve(Func<string, int?> lookup, string source)
    {
        int Id(string role, string token) => lookup(token)
            ?? throw new InvalidDataException($"{source}: the {role} token '{token}' is not in the vocabulary");
        return new SpecialTokens(Id("cls", Cls), Id("sep", Sep), Id("pad", Pad), Id("unk", Unk), Id("mask", Mask));
    }
}
