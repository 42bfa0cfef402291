namespace CogLtx.Data;

/// <summary>
/// Where datasets live: the <c>--data-dir</c> option, else the <c>COGLTX_DATA</c> environment variable, else
/// <c>./data</c>. A directory holds one folder per dataset (<c>20newsgroups/</c>, <c>hotpotqa/</c>, ...), the layout of
/// the shared mirror and of <c>cogltx data get</c>.
/// </summary>
public static class DataDirectory
{
    /// <summary>Environment variable naming the data directory.</summary>
    public const string EnvironmentVariable = "COGLTX_DATA";

    /// <summary>Data directory, relative to the working directory, when neither an argument nor the environment names one.</summary>
    public const string DefaultRelative = "data";

    /// <summary>The data directory as an absolute path (it need not exist).</summary>
    public static string Resolve(string? option = null) => Resolve(option, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Resolve(string?)"/> with the environment supplied, for tests.</summary>
    public static string Resolve(string? option, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(option)) return Path.GetFullPath(option);
        var fromEnvironment = environment(EnvironmentVariable);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultRelative : fromEnvironment);
    }
}
