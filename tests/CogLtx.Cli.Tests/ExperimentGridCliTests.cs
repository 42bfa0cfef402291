namespace CogLtx.Cli.Tests;

/// <summary>The grid flags of <c>cogltx experiment</c>: combinations that mean nothing, and a cell that does not exist.</summary>
public sealed class ExperimentGridCliTests
{
    private const string Config = """
        { "name": "g", "methods": ["head"], "grid": { "seeds": [1, 2] }, "quick": true }
        """;

    [Theory]
    [InlineData("--submit")]
    [InlineData("--mem", "4G")]
    [InlineData("--cpus", "2")]
    public void SlurmOptionWithoutSlurm_IsRefused(params string[] flag)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("g.json"), Config);
        Cli.Fails(Cli.Run(null, ["experiment", dir.File("g.json"), "--out", dir.File("out"), .. flag]), "go with --slurm");
    }

    [Fact]
    public void CellAndMerge_Together_AreRefused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("g.json"), Config);
        Cli.Fails(Cli.Run(null, "experiment", dir.File("g.json"), "--out", dir.File("out"), "--cell", "0", "--merge"), "--cell, --merge and --slurm exclude each other");
    }

    [Fact]
    public void CellOutsideTheGrid_NamesTheRange()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("g.json"), Config);
        Cli.Fails(Cli.Run(null, "experiment", dir.File("g.json"), "--out", dir.File("out"), "--cell", "2"), "--cell 2", "makes 2 cells (0 to 1)");
    }

    [Fact]
    public void Slurm_BadTime_IsNamed_AndNoScriptIsWritten()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("g.json"), Config);
        Cli.Fails(Cli.Run(null, "experiment", dir.File("g.json"), "--out", dir.File("out"), "--slurm", "--time", "2h"), "--time: \"2h\" is not a Slurm time");
        Assert.False(Directory.Exists(Path.Combine(dir.File("out"), "slurm")));
    }

    [Fact]
    public void Slurm_WithoutSubmit_WritesTheScripts_AndPrintsNothingOnStdout()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("g.json"), Config);
        var run = Cli.Ok(Cli.Run(null, "experiment", dir.File("g.json"), "--out", dir.File("out"), "--slurm", "--max-parallel", "1"));
        Assert.Equal("", run.Stdout.Trim());
        Assert.Contains("bash " + Path.Combine(dir.File("out"), "slurm", "submit.sh"), run.Stderr);
        Assert.Contains("shared by every node", run.Stderr);
        Assert.Contains("#SBATCH --array=0-1%1", File.ReadAllText(Path.Combine(dir.File("out"), "slurm", "cells.sh")));
        Assert.Equal(Config, File.ReadAllText(Path.Combine(dir.File("out"), "slurm", "config.json")));
    }
}
