using CogLtx.Models.Longformer;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>
/// LongformerConverter on the tiny BERT/RoBERTa fixtures. What must hold: a token sees keys i − w/2 … i + w/2,
/// so for T tokens with T − 1 ≤ w/2 the band is the whole sequence and the converted model computes the source's
/// function on every real token; global tokens then change nothing either (the global projections are copies, and
/// a global key dropped from the band comes back as a leading column with the same local key and value).
/// Padded query rows are not comparable: BERT/RoBERTa attend from them, Longformer zeroes them. So the checks
/// compare real rows only, against transformers' own BERT/RoBERTa outputs in the fixtures (T = 12).
/// </summary>
public sealed class LongformerConverterTests
{
    private static void AssertRealRowsClose(Tensor actual, Tensor expected, int[] attentionMask, string label)
    {
        var h = expected.Dim(-1);
        var rows = Enumerable.Range(0, attentionMask.Length).Where(i => attentionMask[i] == 1).ToArray();
        var a = rows.SelectMany(r => actual.Data.AsSpan(r * h, h).ToArray()).ToArray();
        var b = rows.SelectMany(r => expected.Data.AsSpan(r * h, h).ToArray()).ToArray();
        Fixtures.AssertClose(a, new Tensor(b, b.Length), label);
    }

    private static float MaxAbsDiffRow(Tensor a, Tensor b, int row)
    {
        var h = a.Dim(-1);
        float max = 0;
        for (var i = row * h; i < (row + 1) * h; i++) max = MathF.Max(max, MathF.Abs(a.Data[i] - b.Data[i]));
        return max;
    }

    [Theory]
    [InlineData("roberta-tiny")]
    [InlineData("bert-tiny")]
    public void Converted_ShortInput_ReproducesSourceOnRealTokens(string name)
    {
        var expected = Fixtures.Expected(name);
        var dir = Fixtures.ModelDir(name);
        var model = name.StartsWith("bert") ? LongformerConverter.FromBert(dir, 1024, 64) : LongformerConverter.FromRoberta(dir, 1024, 64);
        model.Eval();
        using var _ = Autograd.NoGrad();
        var input = Fixtures.Input(expected);
        var reference = expected.GetFloat("out.last_hidden_state");
        AssertRealRowsClose(model.Forward(input), reference, input.AttentionMask, "no global");
        var global = new int[input.InputIds.Length];
        global[0] = global[1] = global[input.Length] = 1;
        AssertRealRowsClose(model.Forward(input with { GlobalAttentionMask = global }), reference, input.AttentionMask, "global on 0, 1 and row 1's 0");
        Fixtures.AssertClose(model.Encode(input).PoolerOutput!, expected.GetFloat("out.pooler_output"), "pooler_output");
    }

    /// <summary>
    /// The band condition is sharp: row 0 has T = 12 real tokens; window 22 (±11) still covers it, window 20 (±10)
    /// hides token 11 from token 0, whose output then moves away from RoBERTa's.
    /// </summary>
    [Theory]
    [InlineData(22, true)]
    [InlineData(20, false)]
    public void Converted_MatchesSourceExactlyWhenTheBandCoversTheSequence(int window, bool matches)
    {
        var expected = Fixtures.Expected("roberta-tiny");
        var model = LongformerConverter.FromRoberta(Fixtures.ModelDir("roberta-tiny"), 256, window);
        model.Eval();
        using var _ = Autograd.NoGrad();
        var diff = MaxAbsDiffRow(model.Forward(Fixtures.Input(expected)), expected.GetFloat("out.last_hidden_state"), 0);
        Assert.True(matches ? diff < 1e-4f : diff > 1e-2f, $"window {window}: token 0 differs by {diff}");
    }

    [Fact]
    public void FromModel_CopiesPositionsAndProjections_AsTheLongformerPaper()
    {
        var source = RobertaModel.Load(Fixtures.ModelDir("roberta-tiny"));
        var model = LongformerConverter.FromModel(source, maxLength: 300, attentionWindow: 8);
        Assert.Equal("longformer", model.Config.ModelType);
        Assert.Equal(302, model.Config.MaxPositionEmbeddings);
        Assert.Equal(300, model.MaxLength);
        Assert.Equal([8, 8], model.Windows);

        // Row 2 + t of the new table is source row 2 + (t mod 128): the source has 130 rows, 128 of them real positions.
        var src = source.Embeddings.PositionEmbeddings.Weight;
        var dst = model.Embeddings.PositionEmbeddings.Weight;
        const int h = 32;
        Assert.Equal(src.Data.AsSpan(0, 130 * h).ToArray(), dst.Data.AsSpan(0, 130 * h).ToArray());
        foreach (var t in new[] { 128, 200, 255, 256, 299 })
            Assert.Equal(src.Data.AsSpan((2 + t % 128) * h, h).ToArray(), dst.Data.AsSpan((2 + t) * h, h).ToArray());

        for (var i = 0; i < 2; i++)
        {
            var self = model.SelfAttention(i);
            var origin = (BertSelfAttention)source.Encoder.Layers[i].Attention.Self;
            Assert.Equal(origin.Query.Weight.Data, self.QueryGlobal.Weight.Data);
            Assert.Equal(origin.Key.Bias!.Data, self.KeyGlobal.Bias!.Data);
            Assert.Equal(origin.Value.Weight.Data, self.ValueGlobal.Weight.Data);
            Assert.Equal(origin.Value.Weight.Data, self.Value.Weight.Data);
        }
        // The converted model owns its tensors.
        model.SelfAttention(0).QueryGlobal.Weight.Data[0] += 1f;
        Assert.NotEqual(((BertSelfAttention)source.Encoder.Layers[0].Attention.Self).Query.Weight.Data[0], model.SelfAttention(0).QueryGlobal.Weight.Data[0]);
    }

    /// <summary>BERT positions start at 0: row t moves to row pad + 1 + t = 1 + t; row 0 (the pad row) is zero.</summary>
    [Fact]
    public void FromBert_ShiftsPositionsPastThePadRow()
    {
        var source = BertModel.Load(Fixtures.ModelDir("bert-tiny"));
        var model = LongformerConverter.FromModel(source, maxLength: 200, attentionWindow: 8);
        var src = source.Embeddings.PositionEmbeddings.Weight.Data;
        var dst = model.Embeddings.PositionEmbeddings.Weight.Data;
        const int h = 32;
        Assert.Equal(201 * h, dst.Length);
        Assert.All(dst.AsSpan(0, h).ToArray(), v => Assert.Equal(0f, v));
        foreach (var t in new[] { 0, 1, 127, 128, 199 })
            Assert.Equal(src.AsSpan(t % 128 * h, h).ToArray(), dst.AsSpan((1 + t) * h, h).ToArray());
    }

    /// <summary>
    /// A RoBERTa classification checkpoint converts on disk and loads as LongformerForSequenceClassification, whose
    /// default global attention on &lt;s&gt; then reproduces RobertaForSequenceClassification's logits.
    /// </summary>
    [Fact]
    public void ConvertCheckpoint_RobertaClassifier_ReproducesItsLogits()
    {
        var target = Directory.CreateTempSubdirectory("cogltx-longformer-convert-").FullName;
        try
        {
            LongformerConverter.ConvertCheckpoint(Fixtures.ModelDir("roberta-tiny-cls"), target, maxLength: 512, attentionWindow: 32);
            var config = ModelLoader.ReadConfig(target);
            Assert.Equal(["LongformerForSequenceClassification"], config.Architectures!);
            Assert.Equal(514, config.MaxPositionEmbeddings);
            var (model, report) = LongformerForSequenceClassification.Load(target);
            Assert.True(report.IsExact, report.ToString());
            model.Eval();
            using var _ = Autograd.NoGrad();
            var expected = Fixtures.Expected("roberta-tiny-cls");
            Fixtures.AssertClose(model.Forward(Fixtures.Input(expected)), expected.GetFloat("out.logits"), "logits");
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    /// <summary>The converted folder's vocabulary gets a tokenizer_config.json with the new length, even when the source had none.</summary>
    [Fact]
    public void ConvertCheckpoint_BareVocabulary_WritesTokenizerConfigWithTheLongformerLength()
    {
        using var source = TempDir.CopyOf("bert-tiny");
        File.WriteAllText(source.File("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nword\n");
        using var target = new TempDir();
        LongformerConverter.ConvertCheckpoint(source.Path, target.Path, maxLength: 512, attentionWindow: 32);
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(target.File("tokenizer_config.json")));
        Assert.Equal(512, config.RootElement.GetProperty("model_max_length").GetInt32());
        Assert.Equal("BertTokenizer", config.RootElement.GetProperty("tokenizer_class").GetString());
        Assert.True(config.RootElement.GetProperty("do_lower_case").GetBoolean());
        Assert.True(File.Exists(target.File("vocab.txt")));
    }

    /// <summary>In memory, as a baseline built from CogLTX's reasoner would: converted encoder + the RoBERTa classifier's head.</summary>
    [Fact]
    public void FromEncoder_ConvertedRobertaClassifier_ReproducesItsLogits()
    {
        var (roberta, _) = ModelLoader.Load<SequenceClassificationModel>(Fixtures.ModelDir("roberta-tiny-cls"));
        var head = roberta.NamedParameters().Where(p => p.Name.StartsWith("classifier.", StringComparison.Ordinal)).ToDictionary(p => p.Name, p => p.Value);
        var model = LongformerForSequenceClassification.FromEncoder(LongformerConverter.FromModel(roberta.Encoder, 256, 32), 3, head);
        model.Eval();
        using var _ = Autograd.NoGrad();
        var expected = Fixtures.Expected("roberta-tiny-cls");
        Fixtures.AssertClose(model.Forward(Fixtures.Input(expected)), expected.GetFloat("out.logits"), "logits");
        var fresh = LongformerForSequenceClassification.FromEncoder(model.Longformer, 5);
        Assert.Equal(5, fresh.NumLabels);
    }

    [Fact]
    public void Convert_RejectsWrongSourcesAndWindows()
    {
        var e = Assert.Throws<InvalidDataException>(() => LongformerConverter.FromBert(Fixtures.ModelDir("roberta-tiny")));
        Assert.Contains("model_type is \"roberta\", expected \"bert\"", e.Message);
        var source = RobertaModel.Load(Fixtures.ModelDir("roberta-tiny"));
        Assert.Contains("even", Assert.Throws<ArgumentException>(() => LongformerConverter.FromModel(source, 512, 7)).Message);
        var longformer = LongformerModel.Load(Fixtures.ModelDir("longformer-tiny"));
        Assert.Contains("only BERT and RoBERTa", Assert.Throws<ArgumentException>(() => LongformerConverter.FromModel(longformer)).Message);
    }
}
