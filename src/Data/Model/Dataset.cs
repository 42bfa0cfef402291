using CogLtx.Text.Tasks;

namespace CogLtx.Data;

/// <summary>
/// A named dataset: task kind, label names (their order defines label ids), train and test examples, and the
/// problems a reader skipped under <see cref="OnError.Skip"/>.
/// </summary>
public sealed record Dataset(
    string Name,
    ReasonerTask Kind,
    IReadOnlyList<string> LabelNames,
    IReadOnlyList<LongDocExample> Train,
    IReadOnlyList<LongDocExample> Test)
{
    /// <summary>Problems skipped while reading (empty under <see cref="OnError.Fail"/>, which throws instead).</summary>
    public IReadOnlyList<DataIssue> Skipped { get; init; } = [];

    /// <summary>Id of a label name: its index in <see cref="LabelNames"/> (a linear scan: label sets are small).</summary>
    public int LabelId(string name)
    {
        for (var i = 0; i < LabelNames.Count; i++)
            if (string.Equals(LabelNames[i], name, StringComparison.Ordinal)) return i;
        throw new KeyNotFoundException($"dataset {Name}: unknown label '{name}' (known: {string.Join(", ", LabelNames)})");
    }

    /// <summary>Label ids of an example, in the example's label order.</summary>
    public int[] LabelIds(LongDocExample example) => [.. example.Labels.Select(LabelId)];

    /// <summary>Label names in ordinal order, the convention every reader here uses (scikit-learn's <c>target_names</c> are sorted too).</summary>
    internal static IReadOnlyList<string> SortedLabels(IEnumerable<LongDocExample> examples) =>
        [.. examples.SelectMany(e => e.Labels).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
