using CogLtx.Text.Tokenization;
using CogLtx.Training.Pretraining;

namespace CogLtx.Training.Tests.Pretraining;

public sealed class CorpusTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "cogltx-corpus-tests-" + Guid.NewGuid().ToString("N"));

    public CorpusTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static ITokenizer Tokenizer(string name = "bert-base-uncased") =>
        TokenizerLoader.Load(Path.Combine(HuggingFaceLayout.RepoRoot, "tests", "fixtures", "tokenizers", name));

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_TextParagraphsAndJsonlRecords_InFileOrder_WithTheirLines()
    {
        var text = Write("a.txt", "first line\nstill first\n\n\nsecond\n");
        var jsonl = Write("b.jsonl", "{\"text\": \"third\"}\n\n{\"text\": \"fourth\", \"label\": 1}\n");
        var docs = CorpusReader.Read(CorpusReader.Files([dir])).ToList();
        Assert.Equal(["first line\nstill first", "second", "third", "fourth"], docs.Select(d => d.Text));
        Assert.Equal([(text, 1L), (text, 5L), (jsonl, 1L), (jsonl, 3L)], docs.Select(d => (d.Source, d.Line)));
    }

    [Fact]
    public void Read_BadJsonlOrUtf8_NamesFileAndLine()
    {
        var jsonl = Write("bad.jsonl", "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
        var e = Assert.Throws<InvalidDataException>(() => CorpusReader.Read([jsonl]).ToList());
        Assert.Contains($"{jsonl}:2", e.Message);
        Assert.Contains("\"text\"", e.Message);
        var latin1 = Path.Combine(dir, "latin1.txt");
        File.WriteAllBytes(latin1, [(byte)'o', (byte)'k', (byte)'\n', (byte)'c', 0xE9, (byte)'\n']);
        e = Assert.Throws<InvalidDataException>(() => CorpusReader.Read([latin1]).ToList());
        Assert.Contains(latin1, e.Message);
        Assert.Contains("0xE9", e.Message);
        Assert.Contains("line 2", e.Message);
        Assert.Throws<FileNotFoundException>(() => CorpusReader.Files([Path.Combine(dir, "missing.txt")]));
    }

    [Theory]
    [InlineData("bert-base-uncased")]
    [InlineData("roberta-base")]
    public void Build_PacksDocumentsAcrossSequences_SeparatedBySep_AndHoldsOutWholeDocuments(string name)
    {
        var tokenizer = Tokenizer(name);
        var s = tokenizer.Specials;
        var documents = Enumerable.Range(0, 50).Select(i => new CorpusDocument($"Document number {i} says hello to the world {i * 7}.", "test", i + 1)).ToList();
        var corpus = PackedCorpus.Build(documents, tokenizer, 32, 0.1);
        Assert.Equal(50, corpus.Documents);
        foreach (var seq in corpus.Train.Concat(corpus.HeldOut))
        {
            var length = seq.AttentionMask.Count(m => m == 1);
            Assert.Equal(32, seq.Ids.Length);
            Assert.Equal(s.Cls, seq.Ids[0]);
            Assert.Equal(s.Sep, seq.Ids[length - 1]);
            Assert.All(seq.Ids.Skip(length), id => Assert.Equal(s.Pad, id));
        }
        // Only the last sequence of a split is padded, and the content in order is each document's tokens then [SEP].
        Assert.All(corpus.Train.SkipLast(1), seq => Assert.All(seq.AttentionMask, m => Assert.Equal(1, m)));
        var content = corpus.Train.SelectMany(seq => seq.Ids.Skip(1).Take(seq.AttentionMask.Count(m => m == 1) - 2)).ToList();
        var heldOutIndices = Enumerable.Range(0, 50).Where(i => Math.Floor((i + 1) * 0.1) > Math.Floor(i * 0.1)).ToHashSet();
        Assert.Equal(5, heldOutIndices.Count);
        var expected = documents.Where((_, i) => !heldOutIndices.Contains(i))
            .SelectMany(d => tokenizer.Tokenize(d.Text).Select(t => t.Id).Append(s.Sep)).ToList();
        Assert.Equal(expected, content);
        Assert.Equal(content.Where(id => id != s.Sep).Count(), corpus.TrainTokenCounts.Sum());
    }

    [Fact]
    public void Build_TokenizingTheSameCorpusTwice_GivesTheSameChecksum_AnotherCorpusAnother()
    {
        var tokenizer = Tokenizer();
        var docs = Enumerable.Range(0, 20).Select(i => new CorpusDocument($"text {i}", "t", i)).ToList();
        var a = PackedCorpus.Build(docs, tokenizer, 16, 0.1);
        Assert.Equal(a.Checksum, PackedCorpus.Build(docs, tokenizer, 16, 0.1).Checksum);
        Assert.NotEqual(a.Checksum, PackedCorpus.Build(docs.Skip(1), tokenizer, 16, 0.1).Checksum);
    }
}
