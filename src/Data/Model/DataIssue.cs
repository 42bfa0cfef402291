namespace CogLtx.Data;

/// <summary>What a reader does with a malformed record: stop with a <see cref="DataFormatException"/>, or skip it and report it.</summary>
public enum OnError
{
    /// <summary>Stop at the first malformed record with a <see cref="DataFormatException"/>.</summary>
    Fail,
    /// <summary>Skip malformed records and report each one.</summary>
    Skip,
}

/// <summary>
/// One problem in an input file, located by file, archive entry and 1-based line where they apply:
/// <c>hotpot.jsonl:17: missing field 'question'</c>, <c>bbc.tar.gz!bbc/sport/199.txt: invalid UTF-8 ...</c>.
/// </summary>
public sealed record DataIssue(string File, string? Entry, long? Line, string Problem)
{
    /// <summary>The issue as <c>file!entry:line: problem</c>.</summary>
    public override string ToString()
    {
        var where = Path.GetFileName(File);
        if (Entry is not null) where += "!" + Entry;
        if (Line is not null) where += ":" + Line;
        return $"{where}: {Problem}";
    }
}

/// <summary>Malformed input: the message names the file, the archive entry or line, and what was expected versus found.</summary>
public sealed class DataFormatException(DataIssue issue, Exception? inner = null)
    : FormatException(issue.ToString(), inner)
{
    /// <summary>Where the problem is and what it is.</summary>
    public DataIssue Issue { get; } = issue;
}

/// <summary>What a reader returns: the items read and the problems it skipped (always empty under <see cref="OnError.Fail"/>).</summary>
public sealed record ReadResult<T>(IReadOnlyList<T> Items, IReadOnlyList<DataIssue> Skipped)
{
    /// <summary>Number of records skipped.</summary>
    public int SkippedCount => Skipped.Count;
}

/// <summary>Applies an <see cref="OnError"/> policy: throws the issue, or records it and lets the reader go on.</summary>
internal sealed class IssueSink(OnError onError)
{
    private readonly List<DataIssue> skipped = [];

    public OnError Mode { get; } = onError;

    public IReadOnlyList<DataIssue> Skipped => skipped;

    public void Report(DataIssue issue, Exception? inner = null)
    {
        if (Mode == OnError.Fail) throw new DataFormatException(issue, inner);
        skipped.Add(issue);
    }
}
