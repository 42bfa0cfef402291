using System.Text.Json;
using CogLtx.Data;
using CogLtx.Splitter;
using CogLtx.Text.Documents;
using CogLtx.Training.Inference;
using CogLtx.Training.Jobs;
using CogLtx.Text.Input;

namespace CogLtx.Training.Recipes;

/// <summary>
/// Everything <c>cogltx train</c> needs, as one JSON file (snake_case keys, every field optional): the data, the
/// model, CogLTX's constants and the training options. Saved beside the checkpoints so an interrupted run resumes
/// with exactly the same recipe.
/// </summary>
public sealed record TrainRecipe
{
    /// <summary>
    /// "synthetic-qa" (multi-hop QA with bridge facts), "synthetic-cls" (key-sentence classification), a known dataset
    /// name (hotpotqa, 20newsgroups, movie_reviews, hyperpartisan, bbc), or "jsonl" with <see cref="TrainFile"/>.
    /// </summary>
    public string Data { get; init; } = "synthetic-qa";

    /// <summary>Folder of the real datasets (default: COGLTX_DATA, else ./data).</summary>
    public string? DataDir { get; init; }

    /// <summary>Training file of JSON Lines data.</summary>
    public string? TrainFile { get; init; }

    /// <summary>Test file of JSON Lines data.</summary>
    public string? TestFile { get; init; }

    /// <summary>Use at most this many training / test examples (first ones); null = all.</summary>
    public int? TrainCount { get; init; }

    /// <summary>Use at most this many test examples (first ones); null = all.</summary>
    public int? TestCount { get; init; }

    /// <summary>Generator settings of the synthetic tasks.</summary>
    public SyntheticOptions Synthetic { get; init; } = new();

    /// <summary>The encoder.</summary>
    public EncoderSpec Model { get; init; } = new();

    /// <summary>Block splitting of documents that come without sentences.</summary>
    public SplitMode SplitMode { get; init; } = SplitMode.Sentence;

    /// <summary>CogLTX settings.</summary>
    public CogLtxOptions Cogltx { get; init; } = CogLtxOptions.Default;

    /// <summary>Supporting facts by the released heuristic or the paper's top-2 (spec §9.10); null: as the data implies (<see cref="JobSetup.TaskFor"/>).</summary>
    public SupportingFactMode? SupportingFacts { get; init; }

    /// <summary>Training settings.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Evaluate on the test split after training.</summary>
    public bool Evaluate { get; init; } = true;

    /// <summary>Reads a recipe file; unknown keys are an error naming the key.</summary>
    public static TrainRecipe Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"recipe file not found: {path}", path);
        try
        {
            return JsonSerializer.Deserialize<TrainRecipe>(Utf8Input.ReadFile(path), StrictJson) ?? throw new InvalidDataException($"{path}: the recipe is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The recipe's data: the first <see cref="TrainCount"/> / <see cref="TestCount"/> examples.</summary>
    public DataSpec ToDataSpec() => new()
    {
        Name = Data,
        DataDir = DataDir,
        TrainFile = TrainFile,
        TestFile = TestFile,
        Synthetic = Synthetic,
        TrainLimit = TrainCount,
        TestLimit = TestCount,
    };

    /// <summary>The recipe as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, CogLtxManifest.Json);

    private static JsonSerializerOptions StrictJson { get; } = new(CogLtxManifest.Json)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}
