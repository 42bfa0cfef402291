using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CogLtx.Tensors;

public static partial class Ops
{
    private enum Binary { Add, Sub, Mul }

    /// <summary>a + b with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => BinaryOp(a, b, Binary.Add);

    /// <summary>a − b with NumPy broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => BinaryOp(a, b, Binary.Sub);

    /// <summary>a ⊙ b with NumPy broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => BinaryOp(a, b, Binary.Mul);

    /// <summary>s · x.</summary>
    public static Tensor Scale(Tensor x, float s)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Multiply(x.Data, s, y.Data);
        return Autograd.Record(y, [x], () =>
        {
            // dx += s·dy
            var dx = x.GradBuffer(out var fresh);
            if (fresh) TensorPrimitives.Multiply(y.Grad!, s, dx);
            else TensorPrimitives.MultiplyAdd(y.Grad!, s, dx, dx);
        });
    }

    /// <summary>x + s.</summary>
    public static Tensor AddScalar(Tensor x, float s)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Add(x.Data, s, y.Data);
        return Autograd.Record(y, [x], () => x.AccumulateGrad(y.Grad!, adopt: true));
    }

    private static Tensor BinaryOp(Tensor a, Tensor b, Binary op)
    {
        if (Shapes.SameShape(a.Shape, b.Shape)) return SameShapeOp(a, b, op);
        var plan = new Broadcast(a.Shape, b.Shape);
        var y = Tensor.Empty(plan.OutShape);
        BinaryForward(plan, op, a.Data, b.Data, y.Data);
        return Autograd.Record(y, [a, b], () => BinaryBackward(plan, op, a, b, y.Grad!));
    }

    /// <summary>Same-shape fast path: whole spans, split over threads when large.</summary>
    private static Tensor SameShapeOp(Tensor a, Tensor b, Binary op)
    {
        var y = Tensor.Empty(a.Shape);
        Chunked(a.Size, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            var x0 = a.Data.AsSpan(s, e - s);
            var x1 = b.Data.AsSpan(s, e - s);
            var d = y.Data.AsSpan(s, e - s);
            switch (op)
            {
                case Binary.Add: TensorPrimitives.Add(x0, x1, d); break;
                case Binary.Sub: TensorPrimitives.Subtract(x0, x1, d); break;
                default: TensorPrimitives.Multiply(x0, x1, d); break;
            }
        });
        return Autograd.Record(y, [a, b], () =>
        {
            var dy = y.Grad!;
            // dy may be handed to a (it is y's gradient, dropped after this closure); b then gets a copy.
            var adopted = false;
            if (a.RequiresGrad)
            {
                // Add/Sub: da += dy; Mul: da += dy ⊙ b
                if (op == Binary.Mul) MultiplyInto(dy, b.Data, a);
                else
                {
                    a.AccumulateGrad(dy, adopt: true);
                    adopted = true;
                }
            }
            if (b.RequiresGrad)
            {
                // Add: db += dy; Sub: db −= dy; Mul: db += dy ⊙ a
                if (op == Binary.Mul) MultiplyInto(dy, a.Data, b);
                else if (op == Binary.Add) b.AccumulateGrad(dy, adopt: !adopted);
                else
                {
                    var db = b.GradBuffer(out var fresh);
                    if (fresh) TensorPrimitives.Negate(dy, db);
                    else TensorPrimitives.Subtract(db, dy, db);
                }
            }
        });
    }

    /// <summary>grad(target) += g ⊙ other, written directly on the first contribution.</summary>
    private static void MultiplyInto(float[] g, float[] other, Tensor target)
    {
        var d = target.GradBuffer(out var fresh);
        if (fresh) TensorPrimitives.Multiply(g, other, d);
        else TensorPrimitives.MultiplyAdd(g, other, d, d);
    }

    private static void BinaryForward(Broadcast plan, Binary op, float[] a, float[] b, float[] y)
    {
        var n = plan.Inner;
        Parallelism.For(plan.Rows, n, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            for (var row = start; row < end; row++)
            {
                plan.Offsets(row, out var ao, out var bo);
                var d = y.AsSpan(row * n, n);
                var (wa, wb) = (plan.AInnerStride == 1, plan.BInnerStride == 1);
                switch (op)
                {
                    case Binary.Add when wa && wb: TensorPrimitives.Add(a.AsSpan(ao, n), b.AsSpan(bo, n), d); break;
                    case Binary.Add when wa: TensorPrimitives.Add(a.AsSpan(ao, n), b[bo], d); break;
                    case Binary.Add when wb: TensorPrimitives.Add(b.AsSpan(bo, n), a[ao], d); break;
                    case Binary.Add: d.Fill(a[ao] + b[bo]); break;
                    case Binary.Sub when wa && wb: TensorPrimitives.Subtract(a.AsSpan(ao, n), b.AsSpan(bo, n), d); break;
                    case Binary.Sub when wa: TensorPrimitives.Subtract(a.AsSpan(ao, n), b[bo], d); break;
                    case Binary.Sub when wb: TensorPrimitives.Subtract(a[ao], b.AsSpan(bo, n), d); break;
                    case Binary.Sub: d.Fill(a[ao] - b[bo]); break;
                    case Binary.Mul when wa && wb: TensorPrimitives.Multiply(a.AsSpan(ao, n), b.AsSpan(bo, n), d); break;
                    case Binary.Mul when wa: TensorPrimitives.Multiply(a.AsSpan(ao, n), b[bo], d); break;
                    case Binary.Mul when wb: TensorPrimitives.Multiply(b.AsSpan(bo, n), a[ao], d); break;
                    default: d.Fill(a[ao] * b[bo]); break;
                }
            }
        });
    }

    /// <summary>
    /// Broadcast backward: each operand's gradient is dy (times the other operand for Mul) summed over the
    /// axes along which that operand was repeated. Serial, because repeated rows write the same gradient entries.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BinaryBackward(Broadcast plan, Binary op, Tensor a, Tensor b, float[] dy)
    {
        var n = plan.Inner;
        var da = a.RequiresGrad ? a.GradSpan() : default;
        var db = b.RequiresGrad ? b.GradSpan() : default;
        var (wa, wb) = (plan.AInnerStride == 1, plan.BInnerStride == 1);
        for (var row = 0; row < plan.Rows; row++)
        {
            plan.Offsets(row, out var ao, out var bo);
            ReadOnlySpan<float> g = dy.AsSpan(row * n, n);
            if (a.RequiresGrad)
            {
                if (op == Binary.Mul) AccumulateProduct(da, ao, wa, g, b.Data, bo, wb);
                else if (wa) TensorPrimitives.Add(da.Slice(ao, n), g, da.Slice(ao, n));
                else da[ao] += TensorPrimitives.Sum(g);
            }
            if (b.RequiresGrad)
            {
                if (op == Binary.Mul) AccumulateProduct(db, bo, wb, g, a.Data, ao, wa);
                else if (op == Binary.Sub && wb) TensorPrimitives.Subtract(db.Slice(bo, n), g, db.Slice(bo, n));
                else if (op == Binary.Sub) db[bo] -= TensorPrimitives.Sum(g);
                else if (wb) TensorPrimitives.Add(db.Slice(bo, n), g, db.Slice(bo, n));
                else db[bo] += TensorPrimitives.Sum(g);
            }
        }
    }

    /// <summary>dst[dOff + i·dStride] += g[i]·other[oOff + i·oStride] for one inner loop (strides 0 or 1).</summary>
    private static void AccumulateProduct(Span<float> dst, int dOff, bool dWalks, ReadOnlySpan<float> g, float[] other, int oOff, bool oWalks)
    {
        var n = g.Length;
        if (dWalks && oWalks)
        {
            var d = dst.Slice(dOff, n);
            TensorPrimitives.MultiplyAdd(g, other.AsSpan(oOff, n), d, d);
        }
        else if (dWalks)
        {
            var d = dst.Slice(dOff, n);
            TensorPrimitives.MultiplyAdd(g, other[oOff], d, d);
        }
        else if (oWalks) dst[dOff] += TensorPrimitives.Dot(g, other.AsSpan(oOff, n));
        else dst[dOff] += other[oOff] * TensorPrimitives.Sum(g);
    }

    /// <summary>
    /// Runs body(start, end) over [0, length) in per-thread chunks for big element-wise loops. Chunks start at
    /// multiples of 64 elements so that which elements take a kernel's vector body and which its scalar tail does
    /// not depend on the thread count (the two may round differently).
    /// </summary>
    private static void Chunked(int length, Action<int, int> body)
    {
        const int Block = 1 << 14;
        if (length < 4 * Block || ComputeOptions.Current.Threads <= 1)
        {
            body(0, length);
            return;
        }
        const int Align = 64;
        Parallelism.For((length + Align - 1) / Align, Align, (s, e) => body(s * Align, Math.Min(length, e * Align)));
    }
}
