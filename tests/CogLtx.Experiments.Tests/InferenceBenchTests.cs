using CogLtx.Experiments.Scaling;

namespace CogLtx.Experiments.Tests;

public sealed class InferenceBenchTests
{
    [Fact]
    public void TinyRun_TimesEveryWay_AndCountsTheEncoderTokens()
    {
        // Synthetic documents longer than the 512-token memory: MemRecall's first competition alone scores
        // every document block once, so the judge reads at least a document's worth; the reasoner reads z (≤ 512);
        // head truncation one row of at most 512.
        var dir = Directory.CreateTempSubdirectory("cogltx-inference-bench-test-");
        try
        {
            var config = Path.Combine(dir.FullName, "config.json");
            File.WriteAllText(config, """
                {
                  "name": "inference-bench-test",
                  "dataset": { "name": "synthetic-cls", "synthetic": { "classes": 2, "seed": 3 } },
                  "methods": ["cogltx", "head"],
                  "quick": true,
                  "quick_settings": { "train_examples": 2, "test_examples": 4, "min_tokens": 620, "max_tokens": 680, "vocab_size": 800,
                    "layers": 1, "hidden": 16, "heads": 2, "epochs": 1 }
                }
                """);
            var result = InferenceBench.Run(new InferenceBenchOptions(config, Documents: 3, Repeats: 2, DocumentsPerPass: 2), dataDir: null);

            Assert.Equal(3, result.Documents);
            Assert.All(new[] { result.CogLtxOneByOne, result.CogLtxBatched, result.Head }, xs => Assert.Equal(2, xs.Count));
            Assert.True(result.SamePredictions);
            Assert.True(result.MeanDocumentTokens > 512, $"documents of {result.MeanDocumentTokens} tokens fit in the memory");
            Assert.True(result.Tokens.Judge >= result.MeanDocumentTokens, $"judge read {result.Tokens.Judge} tokens per document of {result.MeanDocumentTokens}");
            Assert.InRange(result.Tokens.Reasoner, 1, 512);
            Assert.InRange(result.Tokens.Head, 500, 512);
            Assert.Equal((result.Tokens.Judge + result.Tokens.Reasoner) / result.Tokens.Head, result.Tokens.Ratio, 12);
            Assert.Contains($"head truncation {result.Tokens.Head:0}", result.ToMarkdown());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
