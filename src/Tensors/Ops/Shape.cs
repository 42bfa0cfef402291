using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Same storage, new shape; one dimension may be −1 (inferred).</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var resolved = (int[])shape.Clone();
        var infer = Array.IndexOf(resolved, -1);
        if (infer >= 0)
        {
            if (Array.IndexOf(resolved, -1, infer + 1) >= 0) throw new ArgumentException($"Reshape: only one -1 allowed in {Shapes.Format(shape)}");
            var known = 1;
            for (var i = 0; i < resolved.Length; i++) if (i != infer) known *= resolved[i];
            if (known == 0 || x.Size % known != 0)
                throw new ArgumentException($"Reshape: cannot infer -1 in {Shapes.Format(shape)} for {x.Size} elements of {Shapes.Format(x.Shape)}");
            resolved[infer] = x.Size / known;
        }
        if (Shapes.Size(resolved) != x.Size)
            throw new ArgumentException($"Reshape: {Shapes.Format(x.Shape)} ({x.Size} elements) cannot become {Shapes.Format(shape)}");
        var y = new Tensor(x.Data, resolved);
        // Same layout: dx += dy, handing dy over when x has no gradient yet.
        return Autograd.Record(y, [x], () => x.AccumulateGrad(y.Grad!, adopt: true));
    }

    /// <summary>Reorders the axes (a copy).</summary>
    public static Tensor Permute(Tensor x, params int[] dims)
    {
        if (dims.Length != x.Rank) throw new ArgumentException($"Permute: {dims.Length} axes given for a tensor of rank {x.Rank}");
        var seen = new bool[x.Rank];
        var perm = new int[x.Rank];
        for (var i = 0; i < dims.Length; i++)
        {
            var d = NormalizeDim(dims[i], x.Rank, "Permute");
            if (seen[d]) throw new ArgumentException($"Permute: axis {d} repeated in {Shapes.Format(dims)}");
            seen[d] = true;
            perm[i] = d;
        }
        var outShape = perm.Select(d => x.Shape[d]).ToArray();
        var xStrides = Shapes.Strides(x.Shape);
        var srcStrides = perm.Select(d => xStrides[d]).ToArray();
        var y = Tensor.Empty(outShape);
        StridedWalk(outShape, srcStrides, (o, s, n, stride) =>
        {
            if (stride == 1) x.Data.AsSpan(s, n).CopyTo(y.Data.AsSpan(o, n));
            else for (var i = 0; i < n; i++) y.Data[o + i] = x.Data[s + i * stride];
        });
        return Autograd.Record(y, [x], () =>
        {
            var dy = y.Grad!;
            var dx = x.GradBuffer(out var fresh);
            // A permutation visits every entry once, so a fresh buffer is simply written.
            StridedWalk(outShape, srcStrides, (o, s, n, stride) =>
            {
                if (fresh && stride == 1) dy.AsSpan(o, n).CopyTo(dx.AsSpan(s, n));
                else if (stride == 1) TensorPrimitives.Add(dx.AsSpan(s, n), dy.AsSpan(o, n), dx.AsSpan(s, n));
                else if (fresh) for (var i = 0; i < n; i++) dx[s + i * stride] = dy[o + i];
                else for (var i = 0; i < n; i++) dx[s + i * stride] += dy[o + i];
            });
        });
    }

    /// <summary>Swaps dimensions <paramref name="dim0"/> and <paramref name="dim1"/> (a <see cref="Permute"/>).</summary>
    public static Tensor Transpose(Tensor x, int dim0, int dim1)
    {
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        var (a, b) = (NormalizeDim(dim0, x.Rank, "Transpose"), NormalizeDim(dim1, x.Rank, "Transpose"));
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(x, perm);
    }

    /// <summary>x[..., start:start+length, ...] along dim (a copy).</summary>
    public static Tensor Slice(Tensor x, int dim, int start, int length)
    {
        var (outer, n, inner, _) = AxisSplit(x, dim, true, "Slice");
        if (start < 0 || length < 0 || start + length > n)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice: [{start}, {start + length}) is outside dim {dim} of size {n} in {Shapes.Format(x.Shape)}");
        var shape = (int[])x.Shape.Clone();
        shape[NormalizeDim(dim, x.Rank, "Slice")] = length;
        var y = Tensor.Empty(shape);
        var block = length * inner;
        for (var o = 0; o < outer; o++) x.Data.AsSpan((o * n + start) * inner, block).CopyTo(y.Data.AsSpan(o * block, block));
        return Autograd.Record(y, [x], () =>
        {
            var dy = y.Grad!;
            var dx = x.GradSpan();
            for (var o = 0; o < outer; o++)
            {
                var d = dx.Slice((o * n + start) * inner, block);
                TensorPrimitives.Add(d, dy.AsSpan(o * block, block), d);
            }
        });
    }

    /// <summary>Concatenation along dim.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int dim)
    {
        if (xs.Count == 0) throw new ArgumentException("Concat needs at least one tensor");
        var first = xs[0];
        var d = NormalizeDim(dim, first.Rank, "Concat");
        var total = 0;
        foreach (var t in xs)
        {
            if (t.Rank != first.Rank || Enumerable.Range(0, t.Rank).Any(i => i != d && t.Shape[i] != first.Shape[i]))
                throw new ArgumentException($"Concat along dim {dim}: {Shapes.Format(t.Shape)} does not match {Shapes.Format(first.Shape)} outside that dim");
            total += t.Shape[d];
        }
        var shape = (int[])first.Shape.Clone();
        shape[d] = total;
        var outer = Shapes.Size(first.Shape.AsSpan(0, d));
        var inner = Shapes.Size(first.Shape.AsSpan(d + 1));
        var y = Tensor.Empty(shape);
        var offsets = new int[xs.Count];
        var at = 0;
        for (var t = 0; t < xs.Count; t++)
        {
            offsets[t] = at;
            var block = xs[t].Shape[d] * inner;
            for (var o = 0; o < outer; o++) xs[t].Data.AsSpan(o * block, block).CopyTo(y.Data.AsSpan((o * total + at) * inner, block));
            at += xs[t].Shape[d];
        }
        var inputs = xs.ToArray();
        return Autograd.Record(y, inputs, () =>
        {
            var dy = y.Grad!;
            for (var t = 0; t < inputs.Length; t++)
            {
                if (!inputs[t].RequiresGrad) continue;
                // Each input is one block per outer index; a tensor given twice accumulates on its second turn.
                var dx = inputs[t].GradBuffer(out var fresh);
                var block = inputs[t].Shape[d] * inner;
                for (var o = 0; o < outer; o++)
                {
                    var dst = dx.AsSpan(o * block, block);
                    if (fresh) dy.AsSpan((o * total + offsets[t]) * inner, block).CopyTo(dst);
                    else TensorPrimitives.Add(dst, dy.AsSpan((o * total + offsets[t]) * inner, block), dst);
                }
            }
        });
    }

    /// <summary>Entries of x at the given indices along dim (torch.index_select); repeated indices accumulate gradient.</summary>
    public static Tensor IndexSelect(Tensor x, int dim, int[] indices)
    {
        var (outer, n, inner, _) = AxisSplit(x, dim, true, "IndexSelect");
        for (var i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)n)
                throw new ArgumentOutOfRangeException(nameof(indices), $"IndexSelect: index {indices[i]} at position {i} is outside dim {dim} of size {n}");
        var shape = (int[])x.Shape.Clone();
        shape[NormalizeDim(dim, x.Rank, "IndexSelect")] = indices.Length;
        var y = Tensor.Empty(shape);
        var idx = (int[])indices.Clone();
        var k = idx.Length;
        for (var o = 0; o < outer; o++)
            for (var j = 0; j < k; j++)
                x.Data.AsSpan((o * n + idx[j]) * inner, inner).CopyTo(y.Data.AsSpan((o * k + j) * inner, inner));
        return Autograd.Record(y, [x], () =>
        {
            var dy = y.Grad!;
            var dx = x.GradSpan();
            for (var o = 0; o < outer; o++)
                for (var j = 0; j < k; j++)
                {
                    var dst = dx.Slice((o * n + idx[j]) * inner, inner);
                    TensorPrimitives.Add(dst, dy.AsSpan((o * k + j) * inner, inner), dst);
                }
        });
    }

    /// <summary>out[..., i] = x[..., index[..., i]] along the last axis (torch.gather on dim −1); index has x's leading shape.</summary>
    public static Tensor Gather(Tensor x, int[] index, int[] indexShape)
    {
        if (x.Rank == 0 || indexShape.Length != x.Rank || !indexShape.AsSpan(0, x.Rank - 1).SequenceEqual(x.Shape.AsSpan(0, x.Rank - 1)))
            throw new ArgumentException($"Gather: index shape {Shapes.Format(indexShape)} must equal x's leading shape {Shapes.Format(x.Shape)} except in the last axis");
        if (Shapes.Size(indexShape) != index.Length)
            throw new ArgumentException($"Gather: {index.Length} indices do not fill shape {Shapes.Format(indexShape)}");
        var c = x.Dim(-1);
        var k = indexShape[^1];
        var rows = k == 0 ? 0 : index.Length / k;
        var idx = (int[])index.Clone();
        var y = Tensor.Empty(indexShape);
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < k; j++)
            {
                var i = idx[r * k + j];
                if ((uint)i >= (uint)c) throw new ArgumentOutOfRangeException(nameof(index), $"Gather: index {i} at row {r} is outside the last axis of size {c}");
                y.Data[r * k + j] = x.Data[r * c + i];
            }
        return Autograd.Record(y, [x], () =>
        {
            var dy = y.Grad!;
            var dx = x.GradSpan();
            for (var r = 0; r < rows; r++)
                for (var j = 0; j < k; j++) dx[r * c + idx[r * k + j]] += dy[r * k + j];
        });
    }

    /// <summary>
    /// Walks a contiguous output of <paramref name="shape"/> in runs along its last axis, calling
    /// body(outOffset, srcOffset, runLength, srcStride) with the source offset given by <paramref name="srcStrides"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StridedWalk(int[] shape, int[] srcStrides, Action<int, int, int, int> body)
    {
        var rank = shape.Length;
        if (Shapes.Size(shape) == 0) return;
        if (rank == 0) { body(0, 0, 1, 1); return; }
        var n = shape[^1];
        var rows = Shapes.Size(shape) / n;
        var index = new int[rank];
        var src = 0;
        for (var row = 0; row < rows; row++)
        {
            body(row * n, src, n, srcStrides[^1]);
            for (var d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                src += srcStrides[d];
                if (index[d] < shape[d]) break;
                src -= srcStrides[d] * shape[d];
                index[d] = 0;
            }
        }
    }
}
