using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/CogLtx.Benchmarks -- --filter '*Gemm*'
// With COGLTX_ARTIFACTS outside the repository add --inProcess: BenchmarkDotNet otherwise looks for this
// project's .csproj above the build output folder.
BenchmarkSwitcher.FromAssembly(typeof(CogLtx.Benchmarks.GemmBenchmarks).Assembly).Run(args);
