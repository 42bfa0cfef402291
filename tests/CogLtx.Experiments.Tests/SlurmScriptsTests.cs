using CogLtx.Experiments.Config;
using CogLtx.Experiments.Grid;

namespace CogLtx.Experiments.Tests;

public sealed class SlurmScriptsTests
{
    private static IReadOnlyList<GridCell> Cells(int seeds) => GridPlan.Expand(new ExperimentConfig
    {
        Name = "g",
        Methods = ["cogltx", "head"],
        Grid = new GridConfig { Seeds = [.. Enumerable.Range(1, seeds).Select(s => (ulong)s)] },
    });

    [Fact]
    public void Write_ArrayOfOneTaskPerCell_ReportAndSubmitScripts_WithQuotedAbsolutePaths()
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "it's out");
        var files = SlurmScripts.Write(outDir, "my grid", Cells(3), ["/usr/bin/dotnet", "/x/cogltx.dll", "experiment", "/c.json", "--out", outDir],
            dir.Path, new SlurmOptions { Cpus = 2, Memory = "3G", Time = "01:30:00", Partition = "cpu", MaxParallel = 4 });

        var cells = File.ReadAllText(files.CellsScript);
        Assert.Contains("#SBATCH --array=0-5%4", cells);
        Assert.Contains("#SBATCH --cpus-per-task=2", cells);
        Assert.Contains("#SBATCH --mem=3G", cells);
        Assert.Contains("#SBATCH --time=01:30:00", cells);
        Assert.Contains("#SBATCH --partition=cpu", cells);
        Assert.Contains("#SBATCH --requeue", cells);
        Assert.Contains("#SBATCH --job-name=my-grid-cells", cells);
        Assert.Contains($"#SBATCH --output={SlurmScripts.Quote(Path.Combine(outDir, "slurm", "logs", "cell-%a.log"))}", cells);
        Assert.Contains("/it'\\''s out/slurm/logs", cells);
        Assert.EndsWith("'--out' '" + outDir.Replace("'", "'\\''") + "' --cell \"$SLURM_ARRAY_TASK_ID\"\n", cells);
        Assert.Contains("export COGLTX_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"", cells);
        var report = File.ReadAllText(files.ReportScript);
        Assert.Contains("#SBATCH --cpus-per-task=1", report);
        Assert.DoesNotContain("--array", report);
        Assert.EndsWith(" --merge\n", report);
        var submit = File.ReadAllText(files.SubmitScript);
        Assert.Contains("--dependency=afterok:$array", submit);
        Assert.Contains("--dependency=afternotok:$array", submit);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(files.Folder, "cells.tsv")).Length);
    }

    [Theory]
    [InlineData("2h", null, "--time: \"2h\" is not a Slurm time")]
    [InlineData(null, "4GB", "--mem: \"4GB\" is not a Slurm memory size")]
    public void Validate_OptionSbatchWouldRefuse_IsNamed(string? time, string? mem, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => new SlurmOptions { Time = time, Memory = mem }.Validate());
        Assert.Contains(fragment, e.Message);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("02:00:00")]
    [InlineData("1-12")]
    [InlineData("1-12:30:00")]
    public void Validate_SlurmTimeFormats_AreAccepted(string time) => new SlurmOptions { Time = time }.Validate();
}
