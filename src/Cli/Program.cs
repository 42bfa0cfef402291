using System.CommandLine;
using CogLtx.Cli;
using CogLtx.Cli.Commands;

CliConsole.Configure();
var root = new RootCommand("CogLtx: BERT-style models on long documents, the CogLTX way (Ding et al., NeurIPS 2020).");
foreach (var command in CommandRegistry.All()) root.Subcommands.Add(command);
var parsed = root.Parse(args);
// A usage error is not data: the help printed with it goes to stderr too, so stdout stays empty.
return await parsed.InvokeAsync(parsed.Errors.Count > 0 ? new InvocationConfiguration { Output = Console.Error } : null);
