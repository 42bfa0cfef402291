using CogLtx.Judge;
using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Training.Relevance;

namespace CogLtx.Training;

public sealed partial class JointTrainer
{
    /// <summary>
    /// One judge micro-batch (spec §5.2): forward in training mode and masked BCE (the step loop back-propagates it scaled
    /// by the micro-batch's share of the optimizer step); after the backward pass each document block's score from this
    /// forward is cached as its estimation (dropout on, weights before this step's update; a block seen twice keeps the
    /// last value).
    /// </summary>
    private MicroBatchLoss JudgeMicroStep(IReadOnlyList<AssembledInput> inputs)
    {
        var judge = models.Judge;
        var batch = JudgeBatch.Create(inputs, judge.Encoder.PadTokenId, options.LabelQueryTokens);
        var logits = judge.Forward(batch.Input);
        return new MicroBatchLoss(JudgeModel.Loss(logits, batch), () =>
        {
            var scores = JudgeModel.BlockScoresOf(logits, batch);
            for (var r = 0; r < inputs.Count; r++)
                for (var i = 0; i < inputs[r].Blocks.Length; i++)
                    if (inputs[r].Blocks[i].Kind == BlockKind.Document) inputs[r].Blocks[i].Estimation = scores[r][i];
        });
    }

    /// <summary>
    /// One reasoner micro-batch (spec §5.3, §5.4): forward in training mode and mean per-sample loss (back-propagated by
    /// the step loop); after the backward pass, with latent relevance, interventions on every input of the batch log
    /// relabellings (applied after the epoch). Epochs
    /// before <see cref="CogLtxOptions.FirstRelabelEpoch"/> skip them: the reference computes them and throws them away
    /// (spec §5.1), which costs one forward per ablated block and changes nothing.
    /// </summary>
    private MicroBatchLoss ReasonerMicroStep(IReadOnlyList<AssembledInput> inputs)
    {
        var reasoner = models.Reasoner;
        var batch = ReasonerBatch.Create(inputs, reasoner.Task, reasoner.Encoder.PadTokenId);
        var perSample = ReasonerModel.PerSampleLoss(reasoner.Forward(batch), batch);
        var trainingLosses = (float[])perSample.Data.Clone();
        return new MicroBatchLoss(Ops.Mean(perSample), RelabelsThisEpoch ? () => Intervene(inputs, trainingLosses) : null);
    }

    /// <summary>Latent relevance in an epoch whose intervention changes are applied (spec §5.1, §9.7): the only epochs that intervene.</summary>
    private bool RelabelsThisEpoch => options.Relevance == RelevanceSource.Latent && state.Epoch >= models.Options.FirstRelabelEpoch;

    /// <summary>
    /// Interventions (spec §5.4) on each input: every non-crucial block's mask span is zeroed and the loss change
    /// decides its new relevance. Eval mode (default, §9.6): ℓ and ℓ₋b both without dropout; reference mode: ℓ from the
    /// training forward and ℓ₋b in training mode. No gradients either way.
    /// </summary>
    private void Intervene(IReadOnlyList<AssembledInput> inputs, float[] trainingLosses)
    {
        var reasoner = models.Reasoner;
        var evalMode = options.Intervention == InterventionMode.Eval;
        Func<Block, bool> isCrucial = reasoner.Task == ReasonerTask.SpanQa ? Intervention.IsCrucialForQa : Intervention.IsCrucialForClassification;
        if (evalMode) reasoner.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            var baseLosses = evalMode ? PerSampleLosses(inputs) : trainingLosses;
            for (var i = 0; i < inputs.Count; i++)
                intervention.Evaluate(inputs[i], baseLosses[i], isCrucial, PerSampleLosses, changes);
        }
        finally
        {
            if (evalMode) reasoner.Train();
        }
    }

    private float[] PerSampleLosses(IReadOnlyList<AssembledInput> inputs)
    {
        var reasoner = models.Reasoner;
        var batch = ReasonerBatch.Create(inputs, reasoner.Task, reasoner.Encoder.PadTokenId);
        using var _ = Autograd.NoGrad();
        return ReasonerModel.PerSampleLoss(reasoner.Forward(batch), batch).Data;
    }
}
