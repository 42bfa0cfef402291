using System.Text;

namespace CogLtx.Splitter.Tests;

/// <summary>Builds test texts whose token counts are known exactly under <see cref="FakeTokenizer"/>.</summary>
internal static class TextBuilder
{
    /// <summary>A sentence of <paramref name="words"/> words "w{start}".."w{start+words-1}" followed by <paramref name="end"/> (one token).</summary>
    public static string Sentence(int words, string end = ".", int start = 0) =>
        string.Join(" ", Enumerable.Range(start, words).Select(i => $"w{i}")) + end;

    /// <summary><paramref name="count"/> words with no punctuation.</summary>
    public static string Words(int count) => string.Join(" ", Enumerable.Range(0, count).Select(i => $"w{i}"));

    /// <summary>A reproducible random text of words, sentence ends, commas and newlines.</summary>
    public static string Random(int seed, int tokens)
    {
        var random = new Random(seed);
        var builder = new StringBuilder();
        for (var i = 0; i < tokens; i++)
        {
            var roll = random.Next(100);
            builder.Append(roll switch
            {
                < 4 => ".",
                < 6 => "?",
                < 10 => ",",
                < 12 => "\n",
                _ => " wörd" + random.Next(50),
            });
        }
        return builder.ToString();
    }
}
