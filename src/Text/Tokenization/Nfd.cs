using System.Globalization;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// Canonical decomposition (Unicode NFD) of one code point, for <c>BertNormalizer</c>'s accent stripping
/// (<c>normalized.nfd().filter(|c| !c.is_mark_nonspacing())</c> in <c>tokenizers/src/normalizers/bert.rs</c>).
/// Deliberate deviation: code points are decomposed one at a time and the canonical reordering of combining marks is
/// skipped. Accent stripping drops every Mn mark right after, so the output differs from a full NFD only when two of
/// the 25 spacing marks (Mc) with a non-zero combining class stand next to each other out of canonical order.
/// </summary>
internal static partial class Nfd
{
    /// <summary>The longest full decomposition in the table (4), and the Hangul maximum (3).</summary>
    public const int MaxLength = 4;

    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = 19 * NCount;

    private static readonly Dictionary<int, int[]> Decompositions = Parse(Table);

    /// <summary>Writes the NFD expansion of <paramref name="cp"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> long) and returns its length.</summary>
    public static int Decompose(int cp, Span<int> destination)
    {
        if (cp < 0xC0)
        {
            destination[0] = cp;
            return 1;
        }
        var s = cp - SBase;
        if ((uint)s < SCount)
        {
            // Hangul syllable: L V (T), Unicode §3.12.
            destination[0] = LBase + s / NCount;
            destination[1] = VBase + s % NCount / TCount;
            var t = s % TCount;
            if (t == 0) return 2;
            destination[2] = TBase + t;
            return 3;
        }
        if (!Decompositions.TryGetValue(cp, out var expansion))
        {
            destination[0] = cp;
            return 1;
        }
        expansion.CopyTo(destination);
        return expansion.Length;
    }

    private static Dictionary<int, int[]> Parse(string table)
    {
        var result = new Dictionary<int, int[]>(2100);
        foreach (var entry in table.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.IndexOf(':');
            var parts = entry[(colon + 1)..].Split('.');
            var expansion = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++) expansion[i] = int.Parse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            result[int.Parse(entry.AsSpan(0, colon), NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = expansion;
        }
        return result;
    }
}
