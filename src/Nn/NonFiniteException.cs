namespace CogLtx.Nn;

/// <summary>
/// A loss or gradient is NaN or infinite. Raised before anything is updated, so the parameters and the
/// optimizer state still hold the last good values ("no silent NaN training").
/// </summary>
public sealed class NonFiniteException(string message, IReadOnlyList<string> names) : ArithmeticException(message)
{
    /// <summary>The parameters (or "loss") whose values were not finite.</summary>
    public IReadOnlyList<string> Names { get; } = names;
}
