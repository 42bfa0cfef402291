namespace CogLtx.Splitter;

/// <summary>
/// A simple deterministic sentence segmenter for raw text, so mode S can run on text that does not come as
/// sentences. Rules, in order: a line break always ends a sentence; a run of <c>. ? !</c> (with any closing quotes or
/// brackets after it) followed by whitespace or the end of the text ends a sentence, unless the word before a single
/// <c>.</c> is one letter (an initial: "J. Smith") or a listed abbreviation ("Mr.", "e.g."). Sentence spans are
/// trimmed of surrounding whitespace; empty sentences are dropped.
/// </summary>
public static class SentenceSegmenter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "cf", "no", "fig", "inc", "ltd", "co",
    };

    private const string Closers = "\"')]}”’»";

    /// <summary>Sentence spans [Start, End) of <paramref name="text"/> (UTF-16), in order, non-empty and trimmed.</summary>
    public static IReadOnlyList<(int Start, int End)> Segment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<(int, int)>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                AddTrimmed(text, start, i, spans);
                start = i + 1;
                i++;
                continue;
            }
            if (c is '.' or '?' or '!')
            {
                var end = i;
                while (end < text.Length && text[end] is '.' or '?' or '!') end++;
                while (end < text.Length && Closers.Contains(text[end])) end++;
                var atBreak = end == text.Length || char.IsWhiteSpace(text[end]);
                if (atBreak && !IsAbbreviation(text, start, i, end))
                {
                    AddTrimmed(text, start, end, spans);
                    start = end;
                }
                i = end;
                continue;
            }
            i++;
        }
        AddTrimmed(text, start, text.Length, spans);
        return spans;
    }

    private static bool IsAbbreviation(string text, int sentenceStart, int dot, int end)
    {
        if (end - dot != 1 || text[dot] != '.') return false;
        var wordStart = dot;
        while (wordStart > sentenceStart && !char.IsWhiteSpace(text[wordStart - 1])) wordStart--;
        var word = text[wordStart..dot].TrimStart('(', '"', '\'');
        return (word.Length == 1 && char.IsLetter(word[0])) || Abbreviations.Contains(word);
    }

    private static void AddTrimmed(string text, int start, int end, List<(int, int)> spans)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end > start) spans.Add((start, end));
    }
}
