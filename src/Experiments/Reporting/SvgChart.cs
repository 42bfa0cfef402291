using System.Globalization;
using System.Text;

namespace CogLtx.Experiments.Reporting;

/// <summary>A named polyline for <see cref="SvgChart"/>.</summary>
public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>A dependency-free SVG line chart (axes, ticks, legend) for training curves and score-vs-length plots.</summary>
public static class SvgChart
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, int width = 720, int height = 420)
    {
        var inv = CultureInfo.InvariantCulture;
        const int left = 70, right = 170, top = 40, bottom = 55;
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var (x0, x1) = points.Count == 0 ? (0.0, 1.0) : (points.Min(p => p.X), points.Max(p => p.X));
        var (y0, y1) = points.Count == 0 ? (0.0, 1.0) : (Math.Min(0, points.Min(p => p.Y)), points.Max(p => p.Y));
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= y0) y1 = y0 + 1;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        double Px(double x) => left + (x - x0) / (x1 - x0) * plotW;
        double Py(double y) => top + plotH - (y - y0) / (y1 - y0) * plotH;

        var sb = new StringBuilder();
        sb.AppendLine(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine(inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        sb.AppendLine(inv, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>");
        sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{top + plotH}\" x2=\"{left + plotW}\" y2=\"{top + plotH}\" stroke=\"black\"/>");
        sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotH}\" stroke=\"black\"/>");
        for (var i = 0; i <= 5; i++)
        {
            var xv = x0 + (x1 - x0) * i / 5;
            var yv = y0 + (y1 - y0) * i / 5;
            sb.AppendLine(inv, $"<line x1=\"{Px(xv):0.#}\" y1=\"{top + plotH}\" x2=\"{Px(xv):0.#}\" y2=\"{top + plotH + 5}\" stroke=\"black\"/>");
            sb.AppendLine(inv, $"<text x=\"{Px(xv):0.#}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{Tick(xv)}</text>");
            sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{Py(yv):0.#}\" x2=\"{left + plotW}\" y2=\"{Py(yv):0.#}\" stroke=\"#ddd\"/>");
            sb.AppendLine(inv, $"<text x=\"{left - 6}\" y=\"{Py(yv) + 4:0.#}\" text-anchor=\"end\">{Tick(yv)}</text>");
        }
        sb.AppendLine(inv, $"<text x=\"{left + plotW / 2}\" y=\"{height - 12}\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        sb.AppendLine(inv, $"<text transform=\"translate(16,{top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>");
        for (var s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var pts = series[s].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).OrderBy(p => p.X).ToList();
            if (pts.Count > 0)
            {
                var path = string.Join(" ", pts.Select(p => string.Create(inv, $"{Px(p.X):0.##},{Py(p.Y):0.##}")));
                sb.AppendLine(inv, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{path}\"/>");
                if (pts.Count <= 30)
                    foreach (var p in pts) sb.AppendLine(inv, $"<circle cx=\"{Px(p.X):0.##}\" cy=\"{Py(p.Y):0.##}\" r=\"3\" fill=\"{color}\"/>");
            }
            var ly = top + 10 + s * 18;
            sb.AppendLine(inv, $"<line x1=\"{left + plotW + 12}\" y1=\"{ly}\" x2=\"{left + plotW + 32}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            sb.AppendLine(inv, $"<text x=\"{left + plotW + 38}\" y=\"{ly + 4}\">{Escape(series[s].Name)}</text>");
        }
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    private static string Tick(double v) =>
        Math.Abs(v) >= 1000 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
