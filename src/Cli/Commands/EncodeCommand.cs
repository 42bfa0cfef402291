using System.CommandLine;
using CogLtx.Models;
using CogLtx.Models.Pretrained;
using CogLtx.Tensors;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx encode --model DIR --input in.safetensors --output out.safetensors</c>: runs a Hugging Face checkpoint
/// directory, or a model id found in the local Hugging Face cache (<see cref="PretrainedModels.Resolve"/>): the model
/// its config.json names (BertModel, RobertaForQuestionAnswering, …), in eval mode, on int64
/// <c>input_ids</c>, <c>attention_mask</c>, optional <c>token_type_ids</c> and <c>global_attention_mask</c>, and writes
/// its outputs under transformers' names (<c>last_hidden_state</c>, <c>pooler_output</c>, <c>logits</c>,
/// <c>start_logits</c>, <c>end_logits</c>). A checkpoint without the weights of the head (or pooler) its config names
/// is an error (exit 1) rather than logits from a random head; <c>--base-only</c> runs the encoder alone and writes
/// <c>last_hidden_state</c> (and <c>pooler_output</c> when the pooler is in the checkpoint).
/// </summary>
internal static class EncodeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Required = true, Description = "Checkpoint directory (config.json + model.safetensors or pytorch_model.bin, or their sharded index), or a model id in the local Hugging Face cache (bert-base-uncased, org/name)" };
        var input = new Option<string>("--input") { Required = true, Description = "safetensors with int64 input_ids (B, T), attention_mask, optional token_type_ids, global_attention_mask" };
        var output = new Option<string>("--output") { Required = true, Description = "safetensors to write the outputs to" };
        var strict = new Option<bool>("--strict") { Description = "Fail on any missing or unexpected checkpoint key" };
        var baseOnly = new Option<bool>("--base-only") { Description = "Run the encoder alone (ignore any head) and write last_hidden_state, plus pooler_output when the checkpoint has a pooler" };
        var command = new Command("encode", "Run a Hugging Face BERT/RoBERTa/Longformer checkpoint on ids from a safetensors file");
        command.Options.Add(model);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(strict);
        command.Options.Add(baseOnly);
        command.SetAction(parseResult =>
        {
            try
            {
                var (outputs, report) = EncodeRunner.Run(PretrainedModels.Resolve(parseResult.GetValue(model)!, progress: Console.Error.WriteLine), parseResult.GetValue(input)!, parseResult.GetValue(output)!,
                    new LoadOptions { Strict = parseResult.GetValue(strict) }, parseResult.GetValue(baseOnly));
                if (!report.IsExact) Console.Error.WriteLine(report);
                foreach (var (name, tensor) in outputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    Console.WriteLine($"{name} {Shapes.Format(tensor.Shape)}");
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"encode: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
