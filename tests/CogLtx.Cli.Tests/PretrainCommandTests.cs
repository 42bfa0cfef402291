namespace CogLtx.Cli.Tests;

/// <summary><c>pretrain</c> as a script runs it: a tiny model from scratch with the real bert-base-uncased tokenizer.</summary>
[Collection(CliCollection.Name)]
public sealed class PretrainCommandTests
{
    private static string Tokenizer => Cli.Fixture("tokenizers", "bert-base-uncased");

    private static string WriteCorpus(TempDir dir)
    {
        var path = dir.File("corpus.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 60).SelectMany(i => new[] { $"Paragraph {i}: the cat sat on the mat and looked at the bird {i % 7}.", "" }));
        File.WriteAllText(dir.File("config.json"),
            "{\"model_type\": \"bert\", \"vocab_size\": 30522, \"hidden_size\": 16, \"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"intermediate_size\": 32, \"max_position_embeddings\": 64}");
        return path;
    }

    [Fact]
    public void Pretrain_TinyConfig_CurveOnStdout_ProgressWithEtaOnStderr_HuggingFaceFolderWritten()
    {
        using var dir = new TempDir();
        var corpus = WriteCorpus(dir);
        var output = dir.File("out");
        var run = Cli.Ok(Cli.Run(null, "pretrain", "--corpus", corpus, "--config", dir.File("config.json"), "--tokenizer", Tokenizer, "--out", output,
            "--max-length", "32", "--batch-size", "4", "--steps", "6", "--eval-every", "3", "--held-out", "0.1", "--eval-sequences", "4"));
        var rows = Cli.TableRows(run.Stdout);
        Assert.True(rows.Count == 4, $"expected the header and evaluations at steps 0, 3, 6\n{run}");
        Assert.Equal(["0", "3", "6"], rows.Skip(1).Select(r => r[0]));
        Assert.Contains("unigram baseline", run.Stdout);
        Assert.Contains(run.Stderr.Split('\n'), l => Cli.TimestampedLine().IsMatch(l) && l.Contains("ETA"));
        Assert.DoesNotContain("ETA", run.Stdout);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "pretraining.json", "curve.svg" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing\n{run}");
        Assert.Contains("BertForMaskedLM", File.ReadAllText(Path.Combine(output, "config.json")));
        var svg = File.ReadAllText(Path.Combine(output, "curve.svg"));
        Assert.StartsWith("<svg", svg);
        Assert.Contains("held-out loss", svg);
        Assert.Contains("training loss", svg);
        Assert.Contains("unigram ", svg);
    }

    [Fact]
    public void Pretrain_BadInput_ExitsOneNamingTheProblem()
    {
        using var dir = new TempDir();
        var corpus = WriteCorpus(dir);
        Cli.Fails(Cli.Run(null, "pretrain", "--corpus", dir.File("missing.txt"), "--config", "mini", "--tokenizer", Tokenizer, "--out", dir.File("o")), "missing.txt");
        Cli.Fails(Cli.Run(null, "pretrain", "--corpus", corpus, "--out", dir.File("o")), "--model", "--config");
        File.WriteAllText(dir.File("bad.jsonl"), "{\"text\": \"fine\"}\nnot json\n");
        Cli.Fails(Cli.Run(null, "pretrain", "--corpus", dir.File("bad.jsonl"), "--config", "mini", "--tokenizer", Tokenizer, "--out", dir.File("o")), "bad.jsonl:2");
    }
}
