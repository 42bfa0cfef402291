using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

public sealed class ByteLevelTests
{
    [Fact]
    public void ByteToChar_IsGpt2sAlphabet()
    {
        // Printable Latin-1 bytes map to themselves; the 68 others to U+0100.. in byte order:
        // 0x00..0x20 → U+0100..U+0120 (so ' ' is 'Ġ'), 0x7F..0xA0 → U+0121..U+0142, 0xAD → U+0143.
        Assert.Equal('!', ByteLevel.ByteToChar['!']);
        Assert.Equal('ÿ', ByteLevel.ByteToChar[0xFF]);
        Assert.Equal('\u0100', ByteLevel.ByteToChar[0x00]);
        Assert.Equal('\u010A', ByteLevel.ByteToChar['\n']);
        Assert.Equal('\u0120', ByteLevel.ByteToChar[' ']);
        Assert.Equal('\u0121', ByteLevel.ByteToChar[0x7F]);
        Assert.Equal('\u0142', ByteLevel.ByteToChar[0xA0]);
        Assert.Equal('\u0143', ByteLevel.ByteToChar[0xAD]);
        Assert.Equal(256, ByteLevel.ByteToChar.Distinct().Count());
        for (var b = 0; b < 256; b++) Assert.Equal(b, ByteLevel.CharToByte[ByteLevel.ByteToChar[b]]);
    }

    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("I'm don't we'll 'S", new[] { "I", "'m", " don", "'t", " we", "'ll", " '", "S" })]
    [InlineData("  a", new[] { " ", " a" })]
    [InlineData("a   ", new[] { "a", "   " })]
    [InlineData("x\n\ny", new[] { "x", "\n", "\n", "y" })]
    [InlineData("a \u00A0b", new[] { "a", " ", "\u00A0", "b" })]
    [InlineData("123abc 45", new[] { "123", "abc", " 45" })]
    [InlineData("  !!?x", new[] { " ", " !!?", "x" })]
    [InlineData("\U0001D400\U0001D401 \U0001F600\U0001F600", new[] { "\U0001D400\U0001D401", " \U0001F600\U0001F600" })]
    [InlineData("Ⅻ½", new[] { "Ⅻ½" })]
    public void NextPreTokenEnd_SplitsLikeTheGpt2Pattern(string text, string[] expected)
    {
        // 'm 't 'll are contractions; "'S" is not (lower case only), so "'" falls to the punctuation run.
        // White space before a letter/number/symbol run joins it; a white-space run keeps its last character back
        // for the next word unless it ends the text. Non-BMP letters and symbols count as one character each.
        var pieces = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var end = ByteLevel.NextPreTokenEnd(text, i);
            pieces.Add(text[i..end]);
            i = end;
        }
        Assert.Equal(expected, pieces);
    }
}
