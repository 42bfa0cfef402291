namespace CogLtx.Data.Tests;

public sealed class WordPieceVocabBuilderTests
{
    /// <summary>Greedy longest-match-first WordPiece (BERT's <c>WordpieceTokenizer</c>), the way the vocabulary will be used.</summary>
    private static List<string> WordPiece(string word, HashSet<string> vocab)
    {
        var pieces = new List<string>();
        var start = 0;
        while (start < word.Length)
        {
            var end = word.Length;
            string? piece = null;
            while (start < end)
            {
                var candidate = (start > 0 ? "##" : "") + word[start..end];
                if (vocab.Contains(candidate)) { piece = candidate; break; }
                end--;
            }
            if (piece is null) return ["[UNK]"];
            pieces.Add(piece);
            start = end;
        }
        return pieces;
    }

    [Fact]
    public void Build_HandWorkedCorpus_SpecialsThenCharactersThenWordsByFrequency()
    {
        var vocab = WordPieceVocabBuilder.Build(["Ab ab, b!", "ba ab"]);
        // Words (lower-cased): ab ×3, b ×1, "," ×1, "!" ×1, ba ×1. Characters weighted by word counts:
        // b 3+1+1 = 5, a 3+1 = 4, then "!" and "," once each (ordinal order: '!' < ',').
        Assert.Equal(
            ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "b", "##b", "a", "##a", "!", "##!", ",", "##,", "ab", "ba"],
            vocab);
    }

    [Fact]
    public void Build_MaxSize_CutsTheRarestWords()
    {
        var vocab = WordPieceVocabBuilder.Build(["xy xy xy yx"], new WordPieceVocabOptions { MaxSize = 10 });
        Assert.Equal(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "x", "##x", "y", "##y", "xy"], vocab);
        Assert.Equal(["y", "##x"], WordPiece("yx", [.. vocab]));
    }

    [Fact]
    public void Build_SyntheticCorpus_CoversEveryWordWholeAndUnseenWordsByPieces()
    {
        var data = SyntheticTasks.MultiHopQa(new SyntheticOptions { TrainCount = 6, TestCount = 3, MinTokens = 700, MaxTokens = 900 });
        var vocab = WordPieceVocabBuilder.Build(data);
        Assert.InRange(vocab.Count, 100, 1_000);
        var set = vocab.ToHashSet();
        foreach (var e in data.Train)
            Assert.All(BasicTokenization.Split(e.Text + " " + e.Question), w => Assert.Contains(w, set));
        // An unseen word made of seen characters: the known word, then continuation pieces.
        var known = data.Train[0].Answer!.Text.ToLowerInvariant();
        Assert.Equal([known, "##e", "##s"], WordPiece(known + "es", set));
    }

    [Fact]
    public void Write_OneTokenPerLine_AndRejectsDuplicates()
    {
        using var temp = new TempDir();
        var path = temp.File("sub/vocab.txt");
        WordPieceVocabBuilder.Write(["[PAD]", "[UNK]", "a", "##a"], path);
        Assert.Equal("[PAD]\n[UNK]\na\n##a\n", File.ReadAllText(path));
        var error = Assert.Throws<ArgumentException>(() => WordPieceVocabBuilder.Write(["a", "b", "a"], temp.File("x.txt")));
        Assert.StartsWith("vocabulary lists 'a' twice", error.Message);
    }
}
