namespace CogLtx.Data.Tests;

public sealed class BasicTokenizationTests
{
    [Theory]
    [InlineData("Hello, World!", new[] { "hello", ",", "world", "!" })]
    [InlineData("don't  stop\tnow", new[] { "don", "'", "t", "stop", "now" })]
    [InlineData("a$b 中文", new[] { "a", "$", "b", "中", "文" })]
    [InlineData("x\u0000y\u200bz \ufffd", new[] { "xyz" })]
    [InlineData("café 😀ok", new[] { "café", "😀ok" })]
    public void Split_MatchesBertBasicTokenizerRules(string text, string[] expected) =>
        Assert.Equal(expected, BasicTokenization.Split(text));

    [Fact]
    public void Count_KeepsCaseIrrelevant_AndCountsPunctuation() =>
        Assert.Equal(7, BasicTokenization.Count("Mira Quell was born in Tarvos."));
}
