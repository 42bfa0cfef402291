using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary><c>train</c>, <c>predict</c> and <c>recall</c> on the fixture's tiny models.</summary>
[Collection(CliCollection.Name)]
public sealed class TrainPredictRecallTests(CliFixture fixture)
{
    [Fact]
    public void Train_PrintsTheEpochTableOnStdout_ProgressOnStderr_AndWritesTheModel()
    {
        var run = Cli.Ok(fixture.TrainQa);
        var rows = Cli.TableRows(run.Stdout);
        Assert.True(rows.Count == 2, $"expected the header and one epoch row\n{run}");
        Assert.Equal(["epoch", "judge loss", "reasoner loss", "steps", "relabel logged", "relabelled"], rows[0]);
        Assert.Equal("1", rows[1][0]);
        Assert.Contains("evaluation: 2 test examples", run.Stdout);
        // Progress lines ([hh:mm:ss] NN% …) and the data log go to stderr only.
        Assert.Contains(run.Stderr.Split('\n'), l => Cli.TimestampedLine().IsMatch(l) && l.Contains("epoch 1/1"));
        Assert.Contains("data: synthetic-multihop", run.Stderr);
        Assert.DoesNotContain(run.Stdout.Split('\n'), l => Cli.TimestampedLine().IsMatch(l));
        Assert.True(File.Exists(Path.Combine(fixture.QaModel, "recipe.json")), $"no recipe.json in {fixture.QaModel}\n{run}");
        Cli.Ok(fixture.TrainMultiLabel);
    }

    [Fact]
    public void Train_MissingTrainFile_NamesIt()
    {
        using var dir = new TempDir();
        var missing = dir.File("nope.jsonl");
        Cli.Fails(Cli.Run(null, "train", "--out", dir.File("out"), "--data", "jsonl", "--train-file", missing, "--test-file", missing), "nope.jsonl");
    }

    [Fact]
    public void Predict_Qa_OneJsonObjectPerLine_WithAnswerSpanAndKeyBlocks()
    {
        var input = string.Join('\n',
            JsonSerializer.Serialize(new { id = "a", question = fixture.Question, text = fixture.Document }),
            JsonSerializer.Serialize(new { id = 7, question = "Who?", document = "Short text. Nothing else." }));
        var run = Cli.Ok(Cli.Run(input, "predict", "--model", fixture.QaModel));
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var r = first.RootElement;
        Assert.Equal("a", r.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.String, r.GetProperty("answer").ValueKind);
        Assert.Equal(JsonValueKind.Number, r.GetProperty("score").ValueKind);
        Assert.False(r.GetProperty("used_fallback").GetBoolean());
        var blocks = r.GetProperty("key_blocks").EnumerateArray().ToList();
        Assert.NotEmpty(blocks);
        Assert.All(blocks, b => Assert.True(b.GetProperty("start").GetInt32() < b.GetProperty("end").GetInt32()));
        Assert.All(blocks, b => Assert.True(b.GetProperty("end").GetInt32() <= fixture.Document.Length));
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(7, second.RootElement.GetProperty("id").GetInt32());
    }

    [Fact]
    public void Predict_MalformedLine_NamesTheLine()
    {
        var input = JsonSerializer.Serialize(new { question = "Who?", text = "A text." }) + "\n{\"question\": \"Who?\", \"text\": ";
        var run = Cli.Run(input, "predict", "--model", fixture.QaModel);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("stdin line 2", run.Stderr);
        Assert.Single(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));   // line 1's result was written
    }

    [Fact]
    public void Predict_MissingModel_NamesTheFolder()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run("", "predict", "--model", dir.File("no-model")), "no-model");
    }

    [Fact]
    public void Recall_Qa_PrintsEveryStepAsAPlainTable_WithSpansAndCoarseScores()
    {
        var run = Cli.Ok(Cli.Run(fixture.Document, "recall", "--model", fixture.QaModel, "--query", fixture.Question));
        Assert.Contains("step 1 (stride", run.Stdout);
        Assert.Contains("step 2 (stride", run.Stdout);
        var documentRows = Cli.TableRows(run.Stdout).Where(r => r[4] is "entered" or "kept" or "decayed").ToList();
        Assert.NotEmpty(documentRows);
        foreach (var row in documentRows)
        {
            // "[230, 258)" is printed as text, not read as a Spectre markup tag.
            Assert.Matches(@"^\[\d+, \d+\)$", row[1]);
            Assert.Matches(@"^\d\.\d{3}$", row[2]);
        }
        // The query row shows the question (its span points into the question, not the document), once per step.
        var queryRows = Cli.TableRows(run.Stdout).Where(r => r[4] == "query").ToList();
        Assert.Equal(2, queryRows.Count);
        Assert.All(queryRows, r => Assert.StartsWith(fixture.Question[..10], r[5]));
        Assert.Contains("answer: \"", run.Stdout);
        // No line is wrapped at a guessed terminal width: every table line of a table is as long as its header line.
        var tableLines = run.Stdout.Split('\n').Where(l => l.StartsWith('│')).Select(l => l.Length).Distinct().ToList();
        Assert.True(tableLines.Count <= 2, $"table lines of {tableLines.Count} different widths\n{run}");
    }

    [Fact]
    public void Recall_MultiLabel_FillsTheCoarseColumnForEveryLabel()
    {
        var document = CliFixture.MultiLabelDocument(3);
        foreach (var label in CliFixture.MultiLabelNames)
        {
            var run = Cli.Ok(Cli.Run(document, "recall", "--model", fixture.MultiLabelModel, "--query", label));
            Assert.Contains($"label \"{label}\": p = ", run.Stdout);
            var documentRows = Cli.TableRows(run.Stdout).Where(r => r[4] is "entered" or "kept" or "decayed").ToList();
            Assert.NotEmpty(documentRows);
            Assert.All(documentRows, r => Assert.True(r[2].Length > 0, $"label {label}: block {r[0]} has no coarse score\n{run}"));
        }
    }

    [Fact]
    public void Recall_QaWithoutQuery_SaysSo()
    {
        Cli.Fails(Cli.Run("Some text.", "recall", "--model", fixture.QaModel), "--query");
    }

    [Fact]
    public void Recall_UnknownLabel_ListsTheLabels()
    {
        Cli.Fails(Cli.Run("Some text.", "recall", "--model", fixture.MultiLabelModel, "--query", "cooking"), "cooking", "sports, weather");
    }
}
