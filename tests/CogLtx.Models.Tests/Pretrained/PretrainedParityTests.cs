using CogLtx.Models.Pretrained;
using CogLtx.Tensors;
using CogLtx.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace CogLtx.Models.Tests.Pretrained;

/// <summary>
/// Our BertModel loaded from the converted directory against ONNX Runtime on the original ONNX bytes: the same
/// last_hidden_state within 1e-4 absolute, at every position (padding included), in batches that pad.
/// </summary>
public sealed class PretrainedParityTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void MiniLm_last_hidden_state_matches_onnx_runtime_on_20_sentences()
    {
        var max = Compare("minilm", PretrainedPackages.Sentences, batchSize: 4);
        output.WriteLine($"minilm: max |ours - onnxruntime| = {max:G3} over {PretrainedPackages.Sentences.Count} texts");
    }

    [Fact]
    public void ArcticXs_last_hidden_state_matches_onnx_runtime()
    {
        var texts = PretrainedPackages.Sentences.Where((_, i) => i % 3 == 0).Append(PretrainedPackages.Sentences[^1]).ToList();
        var max = Compare("arctic-xs", texts, batchSize: 4);
        output.WriteLine($"arctic-xs: max |ours - onnxruntime| = {max:G3} over {texts.Count} texts");
    }

    [Fact]
    public void MiniLm_pooler_output_matches_the_graphs_second_output()
    {
        var converted = PretrainedPackages.Get("minilm");
        var (model, embedder) = Load(converted.Directory);
        var input = embedder.Batch(PretrainedPackages.Sentences.Take(6).ToList());
        var ours = Run(model, input);
        using var session = new InferenceSession(converted.Onnx);
        var theirs = OnnxRun(session, input);
        var name = session.OutputMetadata.Keys.Single(k => k != "last_hidden_state");
        Assert.NotNull(ours.PoolerOutput);
        var diff = MaxAbsDiff(ours.PoolerOutput!.Data, theirs[name]);
        Assert.True(diff <= Tolerance, $"pooler_output vs ONNX output {name}: max abs diff {diff:G3} > {Tolerance}");
    }

    [Fact]
    public void Sentence_embeddings_are_unit_mean_pooled_and_rank_related_sentences_closer()
    {
        var (_, embedder) = Load(PretrainedPackages.Get("minilm").Directory);
        string[] texts = ["What is the capital of France?", "Paris is the capital and most populous city of France.", "The stock market fell sharply on Monday."];
        var batched = embedder.Embed(texts, batchSize: 3);
        var single = texts.Select(embedder.Embed).ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(batched[i].Sum(v => (double)v * v)), 5);
            Assert.True(MaxAbsDiff(batched[i], single[i]) < 1e-5f, $"text {i}: padding in the batch changed its embedding");
        }
        var related = Dot(batched[0], batched[1]);
        var unrelated = Dot(batched[0], batched[2]);
        output.WriteLine($"cos(question, answer) = {related:F4}, cos(question, unrelated) = {unrelated:F4}");
        Assert.True(related > unrelated + 0.2, $"cos(question, answer) {related:F3} should clearly exceed cos(question, unrelated) {unrelated:F3}");
    }

    [Fact]
    public void Converted_tokenizer_gives_the_ids_of_the_bert_base_uncased_fixture()
    {
        var converted = TokenizerLoader.Load(PretrainedPackages.Get("minilm").Directory);
        var fixture = TokenizerLoader.LoadWordPiece(Path.Combine(Fixtures.RepoRoot, "tests", "fixtures", "tokenizers", "bert-base-uncased", "vocab.txt"), lowercase: true);
        Assert.Equal(fixture.VocabSize, converted.VocabSize);
        foreach (var text in PretrainedPackages.Sentences)
            Assert.Equal(fixture.Encode(text, maxLength: 512).Ids, converted.Encode(text, maxLength: 512).Ids);
    }

    [Fact]
    public void Encode_runner_on_the_converted_directory_reproduces_onnx_runtime()
    {
        var converted = PretrainedPackages.Get("minilm");
        var (_, embedder) = Load(converted.Directory);
        var input = embedder.Batch([PretrainedPackages.Sentences[6], PretrainedPackages.Sentences[7], PretrainedPackages.Sentences[1]]);
        using var temp = new TempDir();
        int[] dims = [input.Batch, input.Length];
        long[] Long(int[] values) => values.Select(v => (long)v).ToArray();
        Nn.SafeTensors.Write(temp.File("in.safetensors"), [
            Nn.SafeTensorEntry.FromInt64("input_ids", Long(input.InputIds), dims),
            Nn.SafeTensorEntry.FromInt64("attention_mask", Long(input.AttentionMask), dims),
            Nn.SafeTensorEntry.FromInt64("token_type_ids", Long(input.TokenTypeIds!), dims)]);
        EncodeRunner.Run(converted.Directory, temp.File("in.safetensors"), temp.File("out.safetensors"));
        var written = Nn.SafeTensors.Read(temp.File("out.safetensors")).GetFloat("last_hidden_state");
        using var session = new InferenceSession(converted.Onnx);
        var diff = MaxAbsDiff(written.Data, OnnxRun(session, input)["last_hidden_state"]);
        Assert.True(diff <= Tolerance, $"cogltx encode's output file vs ONNX Runtime: max abs diff {diff:G3} > {Tolerance}");
    }

    private float Compare(string name, IReadOnlyList<string> texts, int batchSize)
    {
        var converted = PretrainedPackages.Get(name);
        var (model, embedder) = Load(converted.Directory);
        using var session = new InferenceSession(converted.Onnx);
        float max = 0;
        var sawPadding = false;
        var sawFull = false;
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var input = embedder.Batch(texts.Skip(start).Take(batchSize).ToList());
            sawPadding |= input.AttentionMask.Contains(0);
            sawFull |= input.Length == 512;
            var ours = Run(model, input).LastHiddenState;
            var theirs = OnnxRun(session, input)["last_hidden_state"];
            var diff = MaxAbsDiff(ours.Data, theirs);
            Assert.True(diff <= Tolerance, $"{name}, texts {start}..{start + batchSize - 1}: max |ours - onnxruntime| = {diff:G3} > {Tolerance}");
            max = Math.Max(max, diff);
        }
        Assert.True(sawPadding && sawFull, "the texts must include padding inside a batch and a 512-token input");
        return max;
    }

    private static (BertModel Model, SentenceEmbedder Embedder) Load(string dir)
    {
        var model = BertModel.Load(dir);
        return (model, new SentenceEmbedder(model, TokenizerLoader.Load(dir)));
    }

    private static EncoderOutput Run(BertModel model, EncoderInput input)
    {
        model.Eval();
        using var _ = Autograd.NoGrad();
        return model.Encode(input);
    }

    private static Dictionary<string, float[]> OnnxRun(InferenceSession session, EncoderInput input)
    {
        int[] dims = [input.Batch, input.Length];
        DenseTensor<long> Long(int[] values) => new(values.Select(v => (long)v).ToArray(), dims);
        var feeds = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", Long(input.InputIds)),
            NamedOnnxValue.CreateFromTensor("attention_mask", Long(input.AttentionMask)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", Long(input.TokenTypeIds ?? new int[input.InputIds.Length])),
        };
        using var results = session.Run(feeds);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    private static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(b.Length, a.Length);
        float max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
