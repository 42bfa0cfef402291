using System.Text;
using CogLtx.Tests.Shared;
using CogLtx.Text.Input;

namespace CogLtx.Text.Tests.Input;

public sealed class Utf8InputTests
{
    [Fact]
    public void ValidText_IsDecoded_ByteOrderMarkDropped()
    {
        Assert.Equal("naïve 𝄞", Utf8Input.Decode([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("naïve 𝄞")], "x"));
        Assert.Equal("", Utf8Input.Decode([], "x"));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xFF }, "0xFF at byte offset 1 (line 1, column 2)")]
    [InlineData(new byte[] { 0x61, 0x0A, 0x62, 0xC3 }, "0xC3 at byte offset 3 (line 2, column 2)")]               // truncated sequence at the end
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0xED, 0xA0, 0x80 }, "0xED at byte offset 3 (line 1, column 1)")]  // a UTF-16 surrogate, after a BOM
    [InlineData(new byte[] { 0xC0, 0xAF }, "0xC0 at byte offset 0 (line 1, column 1)")]                          // overlong '/'
    public void InvalidBytes_AreRejected_NamingSourceAndFirstBadByte(byte[] bytes, string where)
    {
        var error = Assert.Throws<InvalidDataException>(() => Utf8Input.Decode(bytes, "doc.txt"));
        Assert.Equal($"doc.txt: invalid UTF-8 byte {where}; the input must be UTF-8 text", error.Message);
    }

    [Fact]
    public void RandomBytes_EitherDecodeExactlyOrFailWithTheRule()
    {
        var rng = new Random(3);
        for (var trial = 0; trial < 2000; trial++)
        {
            var bytes = new byte[rng.Next(0, 40)];
            rng.NextBytes(bytes);
            try
            {
                var text = Utf8Input.Decode(bytes, "stdin");
                var bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
                Assert.Equal(bytes[bom..], Encoding.UTF8.GetBytes(text));
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("stdin: invalid UTF-8 byte 0x", e.Message);
            }
        }
    }

    [Fact]
    public void RandomUnicode_RoundTrips_AndOneBadSequenceIsNamedAtItsExactOffset()
    {
        var rng = new Random(1304);
        for (var trial = 0; trial < 500; trial++)
        {
            var text = RandomInputs.Unicode(rng, 60);
            var expected = text.StartsWith('\uFEFF') ? text[1..] : text;   // a leading byte-order mark is dropped
            Assert.Equal(expected, Utf8Input.Decode(Encoding.UTF8.GetBytes(text), "x"));
            var (bytes, offset) = RandomInputs.Corrupt(rng, text);
            var error = Assert.Throws<InvalidDataException>(() => Utf8Input.Decode(bytes, "doc.txt"));
            Assert.StartsWith($"doc.txt: invalid UTF-8 byte 0x{bytes[offset]:X2} at byte offset {offset} (line {1 + bytes[..offset].Count(b => b == '\n')}, ", error.Message);
        }
    }
}
