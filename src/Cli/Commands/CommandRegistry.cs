using System.CommandLine;

namespace CogLtx.Cli.Commands;

/// <summary>Every top-level command of the cogltx tool.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All() =>
    [
        TokenizeCommand.Create(),
        SplitCommand.Create(),
        DataCommand.Create(),
        TrainCommand.Create(),
        PretrainCommand.Create(),
        PredictCommand.Create(),
        PredictMergeCommand.Create(),
        RecallCommand.Create(),
        ExperimentCommand.Create(),
        EncodeCommand.Create(),
        ModelsCommand.Create(),
        Bench(),
    ];

    /// <summary>`cogltx bench engine|bert|...`: throughput figures to compare with the torch peer.</summary>
    private static Command Bench()
    {
        var bench = new Command("bench", "Measure engine and model throughput (compare with ../shared/tools/torch-peer).");
        bench.Subcommands.Add(BenchEngine.Create());
        bench.Subcommands.Add(BenchBert.Create());
        bench.Subcommands.Add(BenchLongformer.Create());
        bench.Subcommands.Add(BenchScaling.Create());
        bench.Subcommands.Add(BenchInference.Create());
        return bench;
    }
}
