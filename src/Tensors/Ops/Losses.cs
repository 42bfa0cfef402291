namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>torch.nn.functional.cross_entropy: logits (N, C), targets (N); mean over targets ≠ ignoreIndex (NaN if all are ignored, as torch).</summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, int ignoreIndex = -100) => throw new NotImplementedException();

    /// <summary>Per-row cross-entropy, no reduction: (N). Ignored rows give 0.</summary>
    public static Tensor CrossEntropyPerRow(Tensor logits, int[] targets, int ignoreIndex = -100) => throw new NotImplementedException();

    /// <summary>BCE with logits, stable form max(x,0) − x·y + log(1 + e^(−|x|)); mean over entries, or Σ(loss·mask)/Σmask when mask is given.</summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor targets, Tensor? mask = null) => throw new NotImplementedException();
}
