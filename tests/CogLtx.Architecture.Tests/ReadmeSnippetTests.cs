using System.Reflection;
using System.Runtime.Loader;
using CogLtx.Data;
using CogLtx.Models;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;
using CogLtx.Training;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CogLtx.Architecture.Tests;

/// <summary>
/// The C# blocks of the README's "Embedding the pipeline" section, as a user copies them into a console application
/// that references CogLtx.Training (<c>dotnet new console</c>: its implicit usings, nullable on): each block compiles
/// with Roslyn against the assemblies this test project references, and the pipeline block runs on tiny untrained
/// models made here. The blocks use variables they do not declare (<c>qaModelDir</c>, <c>longDocument</c>, …); a
/// static class in a second file of the compilation provides them (<see cref="InputsSource"/>), so the block itself
/// is compiled exactly as written.
/// <para>
/// The sentence-embedding block is compiled only: <c>PretrainedModels.Resolve("minilm")</c> fetches
/// all-MiniLM-L6-v2 from the network, which tests cannot reach. Compiling it against the real assemblies binds every
/// type, method, overload and named argument it uses, which is what a reflection check of its calls would show.
/// </para>
/// </summary>
public sealed class ReadmeSnippetTests
{
    const string Section = "## Embedding the pipeline";

    /// <summary>The marker of the block that runs here: the one that loads a model directory with the pipeline.</summary>
    const string PipelineCall = "CogLtxPipeline.Load(";

    /// <summary>The usings <c>dotnet new console</c> (ImplicitUsings enabled) gives every file.</summary>
    const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>What the README's blocks use without declaring it; the test sets these before running a block.</summary>
    const string InputsSource = """
        global using static ReadmeInputs;

        public static class ReadmeInputs
        {
            public static string qaModelDir { get; set; } = "";
            public static string classifierDir { get; set; } = "";
            public static string longDocument { get; set; } = "";
            public static CancellationToken cancellationToken { get; set; }
        }
        """;

    static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        // The host's trusted platform assemblies: the runtime plus this test's dependencies, CogLtx.Training included.
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return tpa.Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "CogLtx.*.dll"))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    });

    [Fact]
    public void TheSectionHoldsThePipelineAndEmbeddingBlocks()
    {
        var blocks = Snippets();
        Assert.True(blocks.Count(b => b.Code.Contains(PipelineCall, StringComparison.Ordinal)) == 1,
            $"expected one C# block calling {PipelineCall} in README.md's \"{Section}\", found blocks at lines {string.Join(", ", blocks.Select(b => b.Line))}");
        Assert.Contains(blocks, b => b.Code.Contains("SentenceEmbedder.Load(", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryBlockCompilesAgainstCogLtxTraining()
    {
        var failures = Snippets()
            .Select(b => (b.Line, Errors: Compile(b.Code, out _)))
            .Where(r => r.Errors.Count > 0)
            .Select(r => $"README.md block at line {r.Line}:\n  " + string.Join("\n  ", r.Errors))
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void ThePipelineBlockRunsOnTinyQaAndClassificationModels()
    {
        var block = Snippets().Single(b => b.Code.Contains(PipelineCall, StringComparison.Ordinal));
        var errors = Compile(block.Code, out var image);
        Assert.True(errors.Count == 0, $"README.md block at line {block.Line} does not compile:\n" + string.Join("\n", errors));
        var root = Path.Combine(Path.GetTempPath(), "cogltx-readme-snippet", Guid.NewGuid().ToString("N"));
        var context = new AssemblyLoadContext("readme-snippet", isCollectible: true);
        try
        {
            var document = LongDocument();
            var tokenizerDir = WriteTokenizer(Path.Combine(root, "tokenizer"), [document, "Where was the founder of Zorblax born?"]);
            var qaDir = Path.Combine(root, "qa");
            var classifierDir = Path.Combine(root, "classifier");
            TinyModels(tokenizerDir, new TaskSetup { Task = ReasonerTask.SpanQa }).Save(qaDir);
            TinyModels(tokenizerDir, new TaskSetup { Task = ReasonerTask.Classification, LabelNames = ["business", "sports"] }).Save(classifierDir);

            var assembly = context.LoadFromStream(new MemoryStream(image!));
            var inputs = assembly.GetType("ReadmeInputs", throwOnError: true)!;
            inputs.GetProperty("qaModelDir")!.SetValue(null, qaDir);
            inputs.GetProperty("classifierDir")!.SetValue(null, classifierDir);
            inputs.GetProperty("longDocument")!.SetValue(null, document);
            inputs.GetProperty("cancellationToken")!.SetValue(null, CancellationToken.None);
            var main = assembly.EntryPoint!;
            try
            {
                main.Invoke(null, main.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                Assert.Fail($"README.md block at line {block.Line} throws when run as written: {inner}");
            }
        }
        finally
        {
            context.Unload();
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ABlockCallingAMethodThatDoesNotExistFailsToCompile()
    {
        // The check itself, on a copy of the README's block with one method renamed (README.md is not touched).
        var block = Snippets().Single(b => b.Code.Contains(PipelineCall, StringComparison.Ordinal));
        Assert.Contains(".Classify(", block.Code);
        var errors = Compile(block.Code.Replace(".Classify(", ".ClassifyDocument(", StringComparison.Ordinal), out var image);
        Assert.Null(image);
        Assert.Contains(errors, e => e.Contains("CS1061", StringComparison.Ordinal) && e.Contains("ClassifyDocument", StringComparison.Ordinal));
    }

    /// <summary>The C# blocks of the README's <see cref="Section"/>, each with the README line of its opening fence.</summary>
    internal static List<(int Line, string Code)> Snippets()
    {
        var lines = File.ReadAllLines(Path.Combine(ProjectLayeringTests.RepoRoot(), "README.md"));
        var start = Array.FindIndex(lines, l => l.TrimEnd() == Section);
        Assert.True(start >= 0, $"README.md has no \"{Section}\" heading");
        var blocks = new List<(int, string)>();
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (lines[i].Trim() is not ("```csharp" or "```cs" or "```c#")) continue;
            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            Assert.True(end > i, $"README.md: the code block opened at line {i + 1} is not closed");
            blocks.Add((i + 1, string.Join("\n", lines[(i + 1)..end])));
            i = end;
        }
        Assert.True(blocks.Count > 0, $"README.md's \"{Section}\" holds no C# block");
        return blocks;
    }

    /// <summary>
    /// Compiles <paramref name="code"/> as the Program.cs of a console application; returns the errors (empty on
    /// success) and, on success, the assembly image.
    /// </summary>
    internal static List<string> Compile(string code, out byte[]? image)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "ReadmeSnippet",
            [
                CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "GlobalUsings.g.cs"),
                CSharpSyntaxTree.ParseText(InputsSource, parse, "ReadmeInputs.cs"),
                CSharpSyntaxTree.ParseText(code, parse, "Program.cs"),
            ],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        image = result.Success ? stream.ToArray() : null;
        return result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
    }

    /// <summary>A document of about 1,300 tokens, ten times the tiny models' working memory.</summary>
    static string LongDocument() => string.Join(" ", Enumerable.Range(0, 120).Select(i =>
        i == 77 ? "The founder of Zorblax was born in Quillmouth, a harbour town." : $"Report {i} says the market in town {i % 9} opened at {i % 12} o'clock."));

    static string WriteTokenizer(string dir, IEnumerable<string> texts)
    {
        Directory.CreateDirectory(dir);
        WordPieceVocabBuilder.Write(WordPieceVocabBuilder.Build(texts), Path.Combine(dir, "vocab.txt"));
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{\"do_lower_case\": true}");
        return dir;
    }

    /// <summary>Untrained judge and reasoner, L2 H32, working memory of 128 tokens in 31-token blocks.</summary>
    static CogLtxModels TinyModels(string tokenizerDir, TaskSetup setup)
    {
        var tokenizer = TokenizerLoader.Load(tokenizerDir);
        var config = BertConfig.Scratch(tokenizer.VocabSize, layers: 2, hidden: 32, heads: 2, intermediate: 64, maxLength: 128) with
        {
            PadTokenId = tokenizer.Specials.Pad,
        };
        var options = new CogLtxOptions { Capacity = 128, BlockSize = 31, RecallSteps = [2, 3], InferenceBatchSize = 8 };
        return CogLtxModels.CreateFresh(config, tokenizerDir, setup, options, seed: 5);
    }
}
