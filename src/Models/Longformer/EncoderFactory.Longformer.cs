using CogLtx.Models.Longformer;

namespace CogLtx.Models;

public static partial class EncoderFactory
{
    /// <summary>Registers <see cref="LongformerModel"/> for model_type "longformer" (transformers class prefix "Longformer").</summary>
    static partial void RegisterExtensions() =>
        Register(LongformerConfig.ModelType, "Longformer", (config, vb, rng, pool) => new LongformerModel(config, vb, rng, pool));
}
