using System.IO.Compression;
using System.Text;
using CogLtx.Tests.Shared;

namespace CogLtx.Data.Tests;

/// <summary>
/// Seeded property tests of every data reader on hostile input (issue 13 item 4): random bytes, random Unicode
/// (outside the BMP, combining marks, control characters; lone surrogates where JSON's \u escapes carry them), empty
/// and white-space-only files, one planted invalid UTF-8 sequence, and a line of several MB. Each run gives either
/// the text exactly as written or a <see cref="DataFormatException"/> that names the file; nothing else escapes.
/// </summary>
public sealed class ReaderPropertyTests : IDisposable
{
    private const int Cases = 60;
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void LongDocJsonl_RandomUnicodeText_IsReadExactly()
    {
        var rng = new Random(1311);
        for (var i = 0; i < Cases; i++)
        {
            var texts = Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => "t" + RandomInputs.Unicode(rng, 80)).ToList();
            var path = Write("docs.jsonl", string.Concat(texts.Select((t, k) => $"{{\"id\": \"d{k}\", \"text\": {RandomInputs.JsonString(t)}, \"label\": \"a\"}}\n")));
            Assert.Equal(texts, LongDocJsonl.Read(path).Items.Select(e => e.Text));
        }
    }

    [Fact]
    public void LongDocJsonl_LoneSurrogateEscape_IsAClearErrorNamingTheLine()
    {
        var rng = new Random(1312);
        for (var i = 0; i < Cases; i++)
        {
            var text = RandomInputs.WithLoneSurrogates(rng, 30);
            var path = Write("surrogate.jsonl", $"{{\"text\": \"ok\", \"label\": \"a\"}}\n{{\"text\": {RandomInputs.JsonString(text)}, \"label\": \"a\"}}\n");
            var error = Assert.Throws<DataFormatException>(() => LongDocJsonl.Read(path));
            Assert.StartsWith("surrogate.jsonl:2: ", error.Message);
            Assert.Contains("surrogate", error.Message);
        }
    }

    [Fact]
    public void JsonReaders_PlantedInvalidUtf8_IsNamedAtItsByteOffset()
    {
        var rng = new Random(1313);
        for (var i = 0; i < Cases; i++)
        {
            var json = $"{{\"id\": \"q\", \"text\": {RandomInputs.JsonString(RandomInputs.Unicode(rng, 40))}, \"label\": \"a\"}}\n";
            var valid = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(json));
            // Plant the bad byte inside the string literal, after `{"id": "q", "text": "`.
            var prefix = "{\"id\": \"q\", \"text\": \"";
            var (bytes, offset) = RandomInputs.Corrupt(rng, prefix);
            bytes = [.. bytes, .. Encoding.UTF8.GetBytes(valid[prefix.Length..])];
            var path = temp.File("bad.jsonl");
            File.WriteAllBytes(path, bytes);
            var error = Assert.Throws<DataFormatException>(() => LongDocJsonl.Read(path));
            Assert.Contains($"bad.jsonl:1: invalid UTF-8 byte 0x{bytes[offset]:X2} at byte offset {offset} ", error.Message);
            Assert.Contains($"at byte offset {offset} ", Assert.Throws<DataFormatException>(() => HotpotQaReader.Read(path)).Message);
        }
    }

    [Fact]
    public void JsonReaders_RandomBytesEmptyAndWhitespace_GiveAResultOrAClearError()
    {
        var rng = new Random(1314);
        for (var i = 0; i < Cases; i++)
        {
            var bytes = (i % 3) switch
            {
                0 => RandomInputs.Bytes(rng, 200),
                1 => Encoding.UTF8.GetBytes(RandomInputs.Whitespace(rng, 20)),
                _ => Encoding.UTF8.GetBytes(RandomInputs.Unicode(rng, 60)),
            };
            var path = temp.File("random.jsonl");
            File.WriteAllBytes(path, bytes);
            ResultOrClearError(() => LongDocJsonl.Read(path), "random.jsonl");
            ResultOrClearError(() => HotpotQaReader.Read(path), "random.jsonl");
            ResultOrClearError(() => LongDocJsonl.Read(path, OnError.Skip), "random.jsonl");
        }
    }

    [Fact]
    public void LongDocJsonl_BlankTrainFile_IsAnErrorNamingIt()
    {
        // Regression: a blank train file gave "task Classification needs label names" from the trainer, naming no file.
        var rng = new Random(1319);
        for (var i = 0; i < 5; i++)
        {
            var path = Write("train.jsonl", new string([.. Enumerable.Range(0, rng.Next(12)).Select(_ => " \t\r\n"[rng.Next(4)])]));   // JSON's white space
            Assert.Equal("train.jsonl: no examples: the file is empty or blank", Assert.Throws<DataFormatException>(() => LongDocJsonl.ReadDataset("t", path)).Message);
        }
    }

    [Fact]
    public void LongDocJsonl_HugeLine_IsReadExactly()
    {
        var rng = new Random(1315);
        foreach (var unbroken in new[] { false, true })
        {
            var text = RandomInputs.HugeLine(rng, 6 << 20, unbroken);
            var path = Write("huge.jsonl", $"{{\"text\": \"{text}\", \"label\": \"a\"}}");
            Assert.Equal(text, Assert.Single(LongDocJsonl.Read(path).Items).Text);
        }
    }

    [Fact]
    public void ArchiveReaders_RandomEntryBytes_AreReadExactlyOrNamedByEntryAndOffset()
    {
        var rng = new Random(1316);
        for (var i = 0; i < Cases / 2; i++)
        {
            var valid = "Title " + RandomInputs.Unicode(rng, 60);
            var (bytes, offset) = i % 3 == 0 ? (Encoding.UTF8.GetBytes(valid), -1) : i % 3 == 1 ? RandomInputs.Corrupt(rng, valid) : (RandomInputs.Bytes(rng, 100), -2);
            var expected = Text.Input.Utf8Input.TryDecode(bytes);
            if (offset == -2 && expected is null) offset = (int)Text.Input.Utf8Input.FindError(bytes)!.Value.ByteOffset;

            var movies = Zip("movies.zip", ("movie_reviews/pos/cv001_1.txt", bytes), ("movie_reviews/neg/cv002_2.txt", "fine\n"u8.ToArray()));
            var bbc = Zip("bbc.zip", ("bbc/tech/001.txt", bytes), ("bbc/sport/002.txt", "Title\n\nbody"u8.ToArray()));
            if (expected is null)
            {
                Assert.Contains($"movies.zip!movie_reviews/pos/cv001_1.txt:", Assert.Throws<DataFormatException>(() => MovieReviewsReader.Read(movies)).Message);
                Assert.Contains($"at byte offset {offset} ", Assert.Throws<DataFormatException>(() => MovieReviewsReader.Read(movies)).Message);
                Assert.Contains($"bbc.zip!bbc/tech/001.txt:", Assert.Throws<DataFormatException>(() => BbcNewsReader.Read(bbc, latin1Fallback: false)).Message);
                Assert.Single(MovieReviewsReader.Read(movies, OnError.Skip).Skipped);
            }
            else
            {
                Assert.Equal(expected, MovieReviewsReader.Read(movies).Train.Single(e => e.Id == "pos/cv001_1").Text);
                ResultOrClearError(() => BbcNewsReader.Read(bbc, latin1Fallback: false), "bbc.zip");
            }
            ResultOrClearError(() => BbcNewsReader.Read(bbc), "bbc.zip");
        }
    }

    [Fact]
    public void ArchiveReaders_EmptyAndWhitespaceEntries_GiveAResultOrAClearError()
    {
        var rng = new Random(1317);
        for (var i = 0; i < 10; i++)
        {
            var blank = Encoding.UTF8.GetBytes(RandomInputs.Whitespace(rng, 10));
            ResultOrClearError(() => MovieReviewsReader.Read(Zip("m.zip", ("movie_reviews/pos/cv001_1.txt", blank))), "m.zip");
            ResultOrClearError(() => BbcNewsReader.Read(Zip("b.zip", ("bbc/tech/001.txt", blank))), "b.zip");
        }
        ResultOrClearError(() => MovieReviewsReader.Read(Write("empty.zip", "")), "empty.zip");
        ResultOrClearError(() => BbcNewsReader.Read(Write("empty.zip", "")), "empty.zip");
    }

    [Fact]
    public void Hyperpartisan_RandomArticleText_IsReadOrAClearError()
    {
        var rng = new Random(1318);
        var truth = Write("truth.xml", "<articles><article id=\"1\" hyperpartisan=\"true\"/></articles>");
        for (var i = 0; i < Cases / 2; i++)
        {
            byte[] body = (i % 3) switch
            {
                0 => RandomInputs.Bytes(rng, 60),
                1 => RandomInputs.Corrupt(rng, "plain words").Bytes,
                _ => Encoding.UTF8.GetBytes(System.Security.SecurityElement.Escape(RandomInputs.Unicode(rng, 40))),
            };
            var path = temp.File("articles.xml");
            File.WriteAllBytes(path, [.. "<articles><article id=\"1\"><p>"u8, .. body, .. "</p></article></articles>"u8]);
            ResultOrClearError(() => HyperpartisanReader.Read(path, truth), "articles.xml");
        }
        ResultOrClearError(() => HyperpartisanReader.Read(Write("blank.xml", " \n"), truth), "blank.xml");
    }

    /// <summary>Runs a reader: a result, or a <see cref="DataFormatException"/> naming <paramref name="file"/>; any other exception fails the test.</summary>
    private static void ResultOrClearError(Func<object> read, string file)
    {
        try
        {
            read();
        }
        catch (DataFormatException e)
        {
            Assert.StartsWith(file, e.Message);
        }
    }

    private string Write(string name, string text)
    {
        var path = temp.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private string Zip(string name, params (string Entry, byte[] Data)[] entries)
    {
        var path = temp.File(name);
        File.Delete(path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, data) in entries)
        {
            using var stream = zip.CreateEntry(entry).Open();
            stream.Write(data);
        }
        return path;
    }
}
