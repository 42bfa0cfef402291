using CogLtx.Tensors.Io;

namespace CogLtx.Tensors.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "cogltx-atomic-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void WriteAllText_ReplacesTheFile_CreatesTheFolder_AndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(dir, "sub", "a.json");
        AtomicFile.WriteAllText(path, "old");
        AtomicFile.WriteAllText(path, "new é");
        Assert.Equal("new é"u8.ToArray(), File.ReadAllBytes(path));  // UTF-8, no byte-order mark
        Assert.Equal([path], Directory.GetFiles(Path.Combine(dir, "sub")));
    }

    [Fact]
    public void Write_FailingHalfway_LeavesTheOldContentAndNoTemporaryFile()
    {
        var path = Path.Combine(dir, "b.txt");
        AtomicFile.WriteAllText(path, "complete");
        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteStream(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("disk full", error.Message);
        Assert.Equal("complete", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Write_WriterThatWritesNothing_FailsNamingTheTarget()
    {
        var path = Path.Combine(dir, "c.txt");
        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, _ => { }));
        Assert.Contains(path, error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void WriteAllLines_EndsEveryLineWithLineFeed()
    {
        var path = Path.Combine(dir, "d.tsv");
        AtomicFile.WriteAllLines(path, ["a\tb", "c"]);
        Assert.Equal("a\tb\nc\n", File.ReadAllText(path));
    }
}
