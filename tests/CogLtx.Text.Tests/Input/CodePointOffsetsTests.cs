using CogLtx.Text.Input;

namespace CogLtx.Text.Tests.Input;

public sealed class CodePointOffsetsTests
{
    /// <summary>Python's len(text[:k]) for every UTF-16 boundary k: the code points before it.</summary>
    private static int CodePointsBefore(string text, int utf16) => text[..utf16].EnumerateRunes().Count();

    [Theory]
    [InlineData("plain ASCII, no table")]
    [InlineData("I love 🤗 and 🍕!")]
    [InlineData("𠀀𠀁 𝐀𝐁𝐂 (math bold)")]
    [InlineData("🤗")]
    [InlineData("")]
    public void FromUtf16_CountsCodePoints_AndToUtf16_InvertsIt_AtEveryBoundary(string text)
    {
        var offsets = CodePointOffsets.For(text);
        Assert.Equal(text.EnumerateRunes().Count(), offsets.Length);
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsLowSurrogate(text[i])) continue;
            Assert.Equal(CodePointsBefore(text, i), offsets.FromUtf16(i));
            Assert.Equal(i, offsets.ToUtf16(offsets.FromUtf16(i)));
        }
    }

    [Fact]
    public void LoneSurrogate_CountsAsOneCodePoint_AsPythonCountsIt()
    {
        var text = "a\uDC00b\uD83E\uDD17c";   // a, lone low surrogate, b, 🤗, c: 5 code points, 6 UTF-16 units
        var offsets = CodePointOffsets.For(text);
        Assert.Equal(5, offsets.Length);
        Assert.Equal([0, 1, 2, 3, 4, 5], new[] { 0, 1, 2, 3, 5, 6 }.Select(i => offsets.FromUtf16(i)));
        Assert.Equal([0, 1, 2, 3, 5, 6], Enumerable.Range(0, 6).Select(offsets.ToUtf16));
    }

    [Fact]
    public void OutOfRangeOffsets_AreErrors()
    {
        var offsets = CodePointOffsets.For("🤗x");
        Assert.Throws<ArgumentOutOfRangeException>(() => offsets.FromUtf16(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => offsets.ToUtf16(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => offsets.FromUtf16(-1));
    }
}
