namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Inverted dropout: zero with probability p, scale kept entries by 1/(1−p); identity when not training or p = 0.</summary>
    public static Tensor Dropout(Tensor x, float p, Rng rng, bool training) => throw new NotImplementedException();
}
