using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

public sealed class ModuleTests
{
    /// <summary>A small model shaped like an HF encoder: dense + LayerNorm + embeddings + a head tied to the embeddings.</summary>
    internal sealed class Tiny : Module
    {
        public Tiny(VarBuilder vb)
        {
            Embeddings = Child("embeddings", new Embedding(vb.Pp("embeddings"), 5, 3));
            Dense = Child("encoder.dense", new Linear(vb.Pp("encoder.dense"), 3, 2));
            Norm = Child("encoder.LayerNorm", new LayerNorm(vb.Pp("encoder.LayerNorm"), 2, 1e-12f));
            Head = Child("head", new TiedHead(Embeddings.Weight));
            Drop = Child("dropout", new Dropout(0.1f, new Rng(1)));
        }

        public Embedding Embeddings { get; }
        public Linear Dense { get; }
        public LayerNorm Norm { get; }
        public TiedHead Head { get; }
        public Dropout Drop { get; }
    }

    internal sealed class TiedHead : Module
    {
        public TiedHead(Tensor weight) => Weight = Param("decoder.weight", weight);

        public Tensor Weight { get; }
    }

    private static readonly string[] TinyNames =
        ["embeddings.weight", "encoder.dense.weight", "encoder.dense.bias", "encoder.LayerNorm.weight", "encoder.LayerNorm.bias"];

    [Fact]
    public void NamedParameters_AreDottedInRegistrationOrderAndATiedTensorAppearsOnce()
    {
        var m = new Tiny(VarBuilder.Fresh(new Rng(1)));
        Assert.Equal(TinyNames, m.NamedParameters().Select(p => p.Name));
        Assert.Same(m.Embeddings.Weight, m.Head.Weight);
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal([2, 3], m.Dense.Weight.Shape);
    }

    [Fact]
    public void StateDict_SharesStorageWithTheParameters()
    {
        var m = new Tiny(VarBuilder.Fresh(new Rng(1)));
        m.StateDict()["encoder.dense.bias"].Data[0] = 42f;
        Assert.Equal(42f, m.Dense.Bias!.Data[0]);
    }

    [Fact]
    public void LoadStateDict_FromAnotherInstance_CopiesEveryValue()
    {
        var a = new Tiny(VarBuilder.Fresh(new Rng(1)));
        var b = new Tiny(VarBuilder.Fresh(new Rng(2)));
        Assert.NotEqual(a.Dense.Weight.Data, b.Dense.Weight.Data);
        b.LoadStateDict(a.StateDict());
        foreach (var name in TinyNames) Assert.Equal(a.StateDict()[name].Data, b.StateDict()[name].Data);
        a.Dense.Weight.Data[0] += 1;
        Assert.NotEqual(a.Dense.Weight.Data[0], b.Dense.Weight.Data[0]);  // copied, not aliased
    }

    [Fact]
    public void LoadStateDict_Mismatch_ListsMissingShapeAndUnexpectedKeysAndChangesNothing()
    {
        var m = new Tiny(VarBuilder.Fresh(new Rng(1)));
        var before = m.Dense.Weight.Data.ToArray();
        var state = m.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        state.Remove("encoder.LayerNorm.bias");
        state["encoder.dense.weight"] = Tensor.Zeros(3, 2);
        state["pooler.dense.weight"] = Tensor.Zeros(1);
        var e = Assert.Throws<InvalidDataException>(() => m.LoadStateDict(state));
        Assert.Contains("missing key encoder.LayerNorm.bias", e.Message);
        Assert.Contains("encoder.dense.weight: expected [2, 3], found [3, 2]", e.Message);
        Assert.Contains("unexpected key pooler.dense.weight", e.Message);
        Assert.Equal(before, m.Dense.Weight.Data);

        state["encoder.LayerNorm.bias"] = Tensor.Zeros(2);
        state["encoder.dense.weight"] = Tensor.Ones(2, 3);
        m.LoadStateDict(state, strict: false);
        Assert.All(m.Dense.Weight.Data, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void TrainEvalAndZeroGrad_ReachEveryChild()
    {
        var m = new Tiny(VarBuilder.Fresh(new Rng(1)));
        m.Eval();
        Assert.False(m.Drop.Training);
        Assert.False(m.Dense.Training);
        m.Train();
        Assert.True(m.Drop.Training);
        m.Dense.Weight.GradSpan()[0] = 1f;
        m.Norm.Bias.GradSpan()[0] = 1f;
        m.ZeroGrad();
        Assert.All(m.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void SaveCheckpointThenLoadCheckpoint_RestoresParametersAndMetadata()
    {
        using var dir = new TempDir();
        var path = dir.File("model.safetensors");
        var a = new Tiny(VarBuilder.Fresh(new Rng(1)));
        a.SaveCheckpoint(path, new Dictionary<string, string> { ["step"] = "7" });
        Assert.Equal(TinyNames.Order(StringComparer.Ordinal), SafeTensors.Read(path).Names);

        var b = new Tiny(VarBuilder.Fresh(new Rng(2)));
        var metadata = b.LoadCheckpoint(path);
        Assert.Equal("7", metadata["step"]);
        foreach (var name in TinyNames) Assert.Equal(a.StateDict()[name].Data, b.StateDict()[name].Data);
        Assert.Same(b.Embeddings.Weight, b.Head.Weight);  // tying survives loading: values are copied in place
    }

    [Fact]
    public void LoadCheckpoint_WrongModel_NamesTheFileAndTheKeys()
    {
        using var dir = new TempDir();
        var path = dir.File("other.safetensors");
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["embeddings.weight"] = Tensor.Zeros(5, 4) });
        var e = Assert.Throws<InvalidDataException>(() => new Tiny(VarBuilder.Fresh(new Rng(1))).LoadCheckpoint(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("embeddings.weight: expected [5, 3], found [5, 4]", e.Message);
        Assert.Contains("missing key encoder.dense.weight", e.Message);
    }
}
