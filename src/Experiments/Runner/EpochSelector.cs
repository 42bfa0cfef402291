using System.Globalization;
using System.Text.Json;
using CogLtx.Experiments.Config;
using CogLtx.Nn;
using CogLtx.Tensors.Io;

namespace CogLtx.Experiments.Runner;

/// <summary>One epoch's headline score on the validation split.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Step">Optimizer steps of the run at the end of that epoch (the x of the training curve).</param>
public sealed record ValidationPoint(int Epoch, int Step, double Score);

/// <summary>
/// Scores a method on the validation split after every epoch and keeps the weights the test split will see
/// (<c>training.select</c>): the last epoch's, or those of the epoch with the best validation score, saved atomically
/// under <c>best/</c> of the method folder. The scores are kept in <c>validation.json</c> and in the training curve
/// (series "validation"), so that a resumed run knows the epochs scored before the interruption.
/// </summary>
internal sealed class EpochSelector
{
    public const string BestFolder = "best";
    public const string ScoresFile = "validation.json";
    public const string CurveSeries = "validation";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly MethodContext context;
    private readonly CurveLog curve;
    private readonly List<ValidationPoint> points;

    public EpochSelector(MethodContext context, CurveLog curve)
    {
        this.context = context;
        this.curve = curve;
        points = Load(Path.Combine(context.MethodDir, ScoresFile));
    }

    /// <summary>False without a validation split: nothing is scored and the last epoch's weights are tested.</summary>
    public bool Enabled => context.Data.Validation.Count > 0;

    private bool KeepsBest => context.Config.Training.Select == EpochSelection.BestValidation;

    /// <summary>The epoch scored so far with the best score (the earliest on a tie), or null.</summary>
    public ValidationPoint? Best => points.Count == 0 ? null
        : points.OrderByDescending(p => p.Score).ThenBy(p => p.Epoch).First();

    /// <summary>
    /// Records an epoch's validation score; when the best epoch is kept and this one beats every earlier epoch, saves
    /// the weights with <paramref name="saveWeights"/> (given the folder to fill) before the score is stored.
    /// </summary>
    public void Record(int epoch, int step, double score, Action<string> saveWeights)
    {
        var best = Best;
        if (KeepsBest && (best is null || best.Epoch == epoch || score > best.Score))
            CheckpointStore.Save(Path.Combine(context.MethodDir, BestFolder), saveWeights);
        points.RemoveAll(p => p.Epoch >= epoch);
        points.Add(new ValidationPoint(epoch, step, score));
        AtomicFile.WriteAllText(Path.Combine(context.MethodDir, ScoresFile), JsonSerializer.Serialize(points, Json));
        curve.Add(step, CurveSeries, score);
    }

    /// <summary>
    /// After training, before the test split is scored: loads the best epoch's weights with
    /// <paramref name="loadWeights"/> when they are kept. Returns the validation score of the weights that will be
    /// tested and the clause for the method's note; null without a validation split.
    /// </summary>
    public (double Score, string Note)? Select(string metric, Action<string> loadWeights)
    {
        if (!Enabled || points.Count == 0) return null;
        var inv = CultureInfo.InvariantCulture;
        var scores = string.Join(", ", points.OrderBy(p => p.Epoch).Select(p => p.Score.ToString("0.000", inv)));
        if (!KeepsBest) return (points.MaxBy(p => p.Epoch)!.Score, $"; validation {metric} by epoch {scores}, last epoch tested");
        var best = Best!;
        var root = Path.Combine(context.MethodDir, BestFolder);
        var dir = CheckpointStore.Find(root)
            ?? throw new InvalidDataException($"{root}: the best epoch's weights are missing; delete {context.MethodDir} to train this method again");
        loadWeights(dir);
        return (best.Score, string.Create(inv, $"; validation {metric} by epoch {scores}, epoch {best.Epoch + 1} tested (best)"));
    }

    private static List<ValidationPoint> Load(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<ValidationPoint>>(File.ReadAllText(path), Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a list of validation scores ({e.Message}); delete it to score the epochs again", e);
        }
    }
}
