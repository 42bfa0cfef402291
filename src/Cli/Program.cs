using System.CommandLine;
using CogLtx.Cli.Commands;

var root = new RootCommand("CogLtx: BERT-style models on long documents, the CogLTX way (Ding et al., NeurIPS 2020).");
foreach (var command in CommandRegistry.All()) root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
