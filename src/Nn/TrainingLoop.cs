using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>
/// Training produced a NaN or infinite loss or gradient. Raised before the backward pass or the parameter update that
/// would use it, and before any checkpoint is written for that step, so the last checkpoint on disk stays the last good one.
/// </summary>
public sealed class TrainingDivergedException(string message, Exception? inner = null) : ArithmeticException(message, inner);

/// <summary>
/// One micro-batch as returned to <see cref="TrainingLoop"/>, and what to do once its gradients are in (e.g. cache
/// scores). Usually its mean loss over the rows, one tensor recorded for backward, which the loop checks to be finite
/// and back-propagates scaled by the micro-batch's share of the step. A micro-batch whose whole graph would not fit in
/// memory (sliding windows over long documents) back-propagates itself instead (<see cref="Backpropagate"/>).
/// </summary>
public sealed class MicroBatchLoss
{
    /// <param name="loss">Mean loss over the micro-batch's rows (one element, recorded for backward).</param>
    public MicroBatchLoss(Tensor loss, Action? afterBackward = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Loss = loss;
        AfterBackward = afterBackward;
    }

    /// <param name="backpropagate">
    /// Given the scale s, adds s · ∇(mean loss) into the parameters' gradients and returns the mean loss; it throws
    /// <see cref="NonFiniteException"/> before back-propagating any part of the loss that is not finite.
    /// </param>
    public MicroBatchLoss(Func<float, float> backpropagate, Action? afterBackward = null)
    {
        ArgumentNullException.ThrowIfNull(backpropagate);
        Backpropagate = backpropagate;
        AfterBackward = afterBackward;
    }

    /// <summary>The recorded mean loss; null when the micro-batch back-propagates itself.</summary>
    public Tensor? Loss { get; }

    /// <summary>Forward and backward in one, given the scale; null for a recorded <see cref="Loss"/>.</summary>
    public Func<float, float>? Backpropagate { get; }

    /// <summary>Called after the backward pass of this micro-batch, if set.</summary>
    public Action? AfterBackward { get; }
}

/// <summary>One finished optimizer step of a pass.</summary>
/// <param name="Step">Steps done in this pass (1-based, after this one).</param>
/// <param name="Steps">Steps of the whole pass.</param>
/// <param name="TotalSteps">Steps done in the run (this pass and the earlier ones).</param>
/// <param name="Loss">Mean loss over the step's rows.</param>
/// <param name="LossSum">Σ micro-batch loss × rows (for epoch means).</param>
/// <param name="Rows">Rows (examples) the step averaged over.</param>
/// <param name="LearningRate">The learning rate the update used.</param>
public sealed record OptimizerStep(int Step, int Steps, int TotalSteps, double Loss, double LossSum, int Rows, double LearningRate);

/// <summary>
/// The one optimisation-step loop of the project, used by joint training (both phases) and by the baselines. One pass
/// (an epoch, or one model's half of an outer epoch) runs over micro-batches in a fixed order; every
/// <c>accumulationSteps</c> of them make an optimizer step: gradients are cleared, each micro-batch's mean loss is
/// checked to be finite and back-propagated scaled by its share of the step's rows (or the micro-batch does both
/// itself, <see cref="MicroBatchLoss.Backpropagate"/>) (so the step's gradient is the mean
/// over its rows, whatever the micro-batch sizes), the learning rate comes from the schedule at the optimizer's step
/// count, the global gradient norm is clipped (or only measured) and checked, and AdamW steps. Cancellation is
/// observed before each micro-batch. Each micro-batch's forward, backward and <see cref="MicroBatchLoss.AfterBackward"/>
/// run in one <see cref="BufferScope"/>: its tensors end there, and the next micro-batch reuses their storage. After each step the caller records it (<c>stepped</c>); then a checkpoint is
/// written every <c>checkpointEverySteps</c> run steps and when the run is to stop at <c>stopAfterSteps</c> (the end of
/// a pass is left to the caller, which saves its own end-of-pass state). A pass resumes at any step: the micro-batches
/// of the earlier steps are skipped.
/// </summary>
public sealed class TrainingLoop
{
    private readonly IReadOnlyList<Tensor> parameters;
    private readonly AdamW optimizer;
    private readonly ILrSchedule schedule;
    private readonly int accumulationSteps;
    private readonly double maxGradNorm;
    private readonly int checkpointEverySteps;
    private readonly int stopAfterSteps;

    // Each micro-batch's graph (activations, gradients) lives in one scope, so the next micro-batch reuses its memory.
    private readonly BufferPool buffers = new();

    /// <param name="parameters">The parameters whose gradient norm is clipped, in the model's order (the norm's summation order).</param>
    /// <param name="maxGradNorm">Global-norm clip; 0 measures the norm without clipping.</param>
    /// <param name="checkpointEverySteps">Checkpoint every this many run steps inside a pass (0: never inside a pass).</param>
    /// <param name="stopAfterSteps">Stop once the run has taken this many steps (0: run every pass to its end).</param>
    public TrainingLoop(IReadOnlyList<Tensor> parameters, AdamW optimizer, ILrSchedule schedule, int accumulationSteps,
        double maxGradNorm, int checkpointEverySteps = 0, int stopAfterSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        if (accumulationSteps < 1) throw new ArgumentOutOfRangeException(nameof(accumulationSteps), accumulationSteps, "accumulation steps must be ≥ 1");
        if (maxGradNorm < 0) throw new ArgumentOutOfRangeException(nameof(maxGradNorm), maxGradNorm, "max grad norm must be ≥ 0 (0 disables clipping)");
        if (checkpointEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(checkpointEverySteps), checkpointEverySteps, "must be ≥ 0");
        if (stopAfterSteps < 0) throw new ArgumentOutOfRangeException(nameof(stopAfterSteps), stopAfterSteps, "must be ≥ 0");
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.accumulationSteps = accumulationSteps;
        this.maxGradNorm = maxGradNorm;
        this.checkpointEverySteps = checkpointEverySteps;
        this.stopAfterSteps = stopAfterSteps;
    }

    /// <summary>Optimizer steps of a pass over <paramref name="microBatches"/> micro-batches (the last step may be partial).</summary>
    public static int StepsFor(int microBatches, int accumulationSteps) => (microBatches + accumulationSteps - 1) / accumulationSteps;

    /// <summary>
    /// Runs the steps of one pass from step <paramref name="startStep"/> (steps done before in this pass) with
    /// <paramref name="totalSteps"/> run steps done before. Returns true when the pass ran to its end, false when it
    /// stopped at <c>stopAfterSteps</c> (after saving). Errors name <paramref name="where"/> and the step.
    /// </summary>
    /// <param name="lossOf">Forward of one micro-batch (its rows), in training mode.</param>
    /// <param name="stepped">Records a finished step (state, curve, progress); runs before any checkpoint of that step.</param>
    /// <param name="save">Writes a checkpoint of the caller's state.</param>
    /// <param name="where">Names the pass in errors, e.g. "epoch 0, Judge".</param>
    public bool RunPass<T>(IReadOnlyList<T[]> microBatches, int startStep, int totalSteps, Func<T[], MicroBatchLoss> lossOf,
        Action<OptimizerStep> stepped, Action save, string where, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(microBatches);
        ArgumentNullException.ThrowIfNull(lossOf);
        ArgumentNullException.ThrowIfNull(stepped);
        ArgumentNullException.ThrowIfNull(save);
        var steps = StepsFor(microBatches.Count, accumulationSteps);
        for (var step = startStep; step < steps;)
        {
            var group = microBatches.Skip(step * accumulationSteps).Take(accumulationSteps).ToList();
            var rows = group.Sum(g => g.Length);
            optimizer.ZeroGrad();
            var lossSum = 0.0;
            foreach (var micro in group)
            {
                cancellationToken.ThrowIfCancellationRequested();
                float value;
                using (buffers.Begin())
                {
                    var microBatch = lossOf(micro);
                    value = Backward(microBatch, (float)micro.Length / rows, $"{where} step {step + 1}");
                    microBatch.AfterBackward?.Invoke();
                }
                lossSum += (double)value * micro.Length;
            }
            var lr = schedule.LearningRate(optimizer.Steps);
            Update(lr, $"{where} step {step + 1}");
            step++;
            totalSteps++;
            stepped(new OptimizerStep(step, steps, totalSteps, lossSum / rows, lossSum, rows, lr));
            var stop = StopsAt(totalSteps);
            if (step < steps && (stop || (checkpointEverySteps > 0 && totalSteps % checkpointEverySteps == 0))) save();
            if (stop && step < steps) return false;
        }
        return true;
    }

    /// <summary>Whether the run has reached <c>stopAfterSteps</c> after <paramref name="totalSteps"/> steps.</summary>
    public bool StopsAt(int totalSteps) => stopAfterSteps > 0 && totalSteps >= stopAfterSteps;

    /// <summary>Back-propagates <paramref name="microBatch"/>'s loss × <paramref name="scale"/>; returns the loss.</summary>
    private static float Backward(MicroBatchLoss microBatch, float scale, string where)
    {
        if (microBatch.Backpropagate is { } backpropagate)
        {
            float mean;
            try
            {
                mean = backpropagate(scale);
            }
            catch (NonFiniteException e)
            {
                throw new TrainingDivergedException($"{where}: {e.Message}", e);
            }
            if (!float.IsFinite(mean)) throw new TrainingDivergedException($"{where}: the loss is {mean}; stopping before the update");
            return mean;
        }
        var loss = microBatch.Loss!;
        var value = loss.Item();
        if (!float.IsFinite(value))
            throw new TrainingDivergedException($"{where}: the loss is {value}; stopping before the backward pass");
        Ops.Scale(loss, scale).Backward();
        return value;
    }

    private void Update(double lr, string where)
    {
        var norm = maxGradNorm > 0 ? GradClip.ClipGradNorm(parameters, maxGradNorm) : GradClip.TotalNorm(parameters);
        if (!float.IsFinite(norm))
            throw new TrainingDivergedException($"{where}: the gradient norm is {norm}; stopping before the update");
        optimizer.LearningRate = lr;
        try
        {
            optimizer.Step();
        }
        catch (NonFiniteException e)
        {
            throw new TrainingDivergedException($"{where}: {e.Message}", e);
        }
    }
}
