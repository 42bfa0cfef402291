using Spectre.Console;

namespace CogLtx.Cli;

/// <summary>
/// The tool's output rules: data (tables, JSON, results) on stdout, progress and logs on stderr. When stdout is
/// redirected (a file, a pipe, a test), Spectre writes plain text: no ANSI escape codes, no colours, no live progress
/// display, and no wrapping at a guessed terminal width.
/// </summary>
internal static class CliConsole
{
    // Wide enough that no table or line of this tool wraps; tables are only as wide as their content.
    private const int UnwrappedWidth = 1 << 14;

    /// <summary>Sets <see cref="AnsiConsole.Console"/> for the current stdout; call once before any command runs.</summary>
    public static void Configure()
    {
        if (!Console.IsOutputRedirected) return;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        console.Profile.Width = UnwrappedWidth;
        AnsiConsole.Console = console;
    }

    /// <summary>A progress or log line: always stderr, so stdout carries only data.</summary>
    public static void Log(string line) => Console.Error.WriteLine(line);
}
