using System.CommandLine;

namespace CogLtx.Cli.Commands;

/// <summary>Every top-level command of the cogltx tool.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All() => [];
}
