using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/CogLtx.Benchmarks -- --filter '*Gemm*'
BenchmarkSwitcher.FromAssembly(typeof(CogLtx.Benchmarks.GemmBenchmarks).Assembly).Run(args);
