#!/usr/bin/env python3
"""How cost grows with model size and context length: the README's tables and chart.

Reads the JSON of bench/scaling.cpp (medians of repeated runs) and writes, into --out:
  scaling.md   two Markdown tables (by preset at 128 tokens; by context for `small`)
  scaling.svg  time per token against parameters and against context, log-log

    OMP_NUM_THREADS=2 build/bench/bench_scaling --benchmark_repetitions=5 \\
        --benchmark_report_aggregates_only=true --benchmark_format=json > scaling.json
    python3 scripts/scaling_table.py scaling.json --out assets/benchmarks

No third-party modules: the chart is drawn as plain SVG.
"""
import argparse
import json
import math
import pathlib

PRESETS = ["tiny", "small", "medium"]


def medians(path):
    """{(benchmark, argument): counters} of the median aggregates (or single runs)."""
    data = json.loads(pathlib.Path(path).read_text())
    out = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        family, arg = b["run_name"].split("/")[:2]
        out[(family, int(arg))] = b
    return data["context"], out


def machine_line(context, rows):
    info = {}
    try:
        for line in open("/proc/cpuinfo"):
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    cpu = info.get("model name", "unknown CPU")
    if "cpu family" in info:  # "AMD EPYC" alone does not tell Zen 4 from Zen 5
        cpu += f" (family {info['cpu family']}, model {info.get('model', '?')})"
    peak = next(r["peak_GFLOPs"] for r in rows.values() if "peak_GFLOPs" in r)
    threads = next(int(r["threads"]) for r in rows.values() if "threads" in r)
    return (f"{cpu}, {context.get('num_cpus', '?')} CPUs, {threads} threads; "
            f"FMA peak {peak:.0f} GFLOP/s (measured at start)")


def size_table(rows):
    lines = ["| preset | parameters | active | train tokens/s | model GFLOP/s | MFU | "
             "weights + grads + AdamW | activations / step | per token | generate tokens/s | "
             "latent KV / token |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for i, name in enumerate(PRESETS):
        t, g = rows[("BM_TrainSize", i)], rows[("BM_GenerateSize", i)]
        lines.append(
            f"| {name} | {t['params_M']:.1f} M | {t['active_M']:.1f} M | "
            f"{t['tokens_per_second']:,.0f} | {t['GFLOPs']:.0f} | {100 * t['MFU']:.0f}% | "
            f"{t['state_MB']:,.0f} MB | {t['activations_MB']:,.0f} MB | "
            f"{t['activation_KB_per_token']:.0f} KB | {g['gen_tok_per_s']:,.0f} | "
            f"{g['kv_bytes_per_token']:,.0f} B |")
    return lines


def context_table(rows):
    lines = ["| context | train tokens/s | μs / token | MFU | activations / token | "
             "generate tokens/s | μs / token | prefill tokens/s | μs / token | "
             "KV cache (16 seqs) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for T in contexts(rows):
        t = rows[("BM_TrainContext", T)]
        cells = [f"{T}", f"{t['tokens_per_second']:,.0f}", f"{1e6 / t['tokens_per_second']:.0f}",
                 f"{100 * t['MFU']:.0f}%", f"{t['activation_KB_per_token']:.0f} KB"]
        g, p = rows.get(("BM_GenerateContext", T)), rows.get(("BM_PrefillContext", T))
        if g and p:
            cells += [f"{g['gen_tok_per_s']:,.0f}", f"{1e6 / g['gen_tok_per_s']:.0f}",
                      f"{p['prompt_tok_per_s']:,.0f}", f"{1e6 / p['prompt_tok_per_s']:.0f}",
                      f"{g['kv_cache_MB']:.1f} MB"]
        else:
            cells += ["–"] * 5
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def contexts(rows):
    return sorted(arg for family, arg in rows if family == "BM_TrainContext")


class Panel:
    """One log-log panel of the SVG: axes, ticks, polylines labelled at their right end."""

    def __init__(self, box, xs, ys, titles, xticks):
        self.x, self.y, self.w, self.h = box
        self.x0, self.x1 = math.log10(min(xs) / 1.5), math.log10(max(xs) * 1.5)
        self.y0 = math.floor(math.log10(min(ys)))
        self.y1 = math.ceil(math.log10(max(ys)))
        self.y1 += self.y1 == self.y0
        self.labels = []  # y of the end labels placed so far
        title, xlabel, ylabel = titles
        x, y, w, h = self.x, self.y, self.w, self.h
        self.parts = [f'<text x="{x + w / 2}" y="{y - 12}" class="title">{title}</text>',
                      f'<text x="{x + w / 2}" y="{y + h + 38}" class="label">{xlabel}</text>',
                      f'<text transform="translate({x - 52},{y + h / 2}) rotate(-90)" '
                      f'class="label">{ylabel}</text>',
                      f'<rect x="{x}" y="{y}" width="{w}" height="{h}" class="frame"/>']
        for value, text in xticks:
            if not self.x0 <= math.log10(value) <= self.x1:
                continue
            X = self.px(value)
            self.parts.append(f'<line x1="{X}" y1="{y}" x2="{X}" y2="{y + h}" class="grid"/>'
                              f'<text x="{X}" y="{y + h + 16}" class="tick">{text}</text>')
        for d in range(self.y0, self.y1 + 1):
            Y = self.py(10 ** d)
            self.parts.append(f'<line x1="{x}" y1="{Y}" x2="{x + w}" y2="{Y}" class="grid"/>'
                              f'<text x="{x - 6}" y="{Y + 4}" class="ytick">{10 ** d:g}</text>')

    def px(self, v):
        return self.x + self.w * (math.log10(v) - self.x0) / (self.x1 - self.x0)

    def py(self, v):
        return self.y + self.h * (1 - (math.log10(v) - self.y0) / (self.y1 - self.y0))

    def line(self, points, color, label):
        pts = " ".join(f"{self.px(a):.1f},{self.py(b):.1f}" for a, b in points)
        self.parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" '
                          f'stroke-width="2"/>')
        for a, b in points:
            self.parts.append(f'<circle cx="{self.px(a):.1f}" cy="{self.py(b):.1f}" r="3" '
                              f'fill="{color}"/>')
        a, b = points[-1]
        Y = self.py(b) + 4
        while any(abs(Y - other) < 14 for other in self.labels):  # keep labels apart
            Y += 14
        self.labels.append(Y)
        self.parts.append(f'<text x="{self.px(a) + 7:.1f}" y="{Y:.1f}" fill="{color}" '
                          f'class="end">{label}</text>')


def chart(rows, machine):
    train = [(rows[("BM_TrainSize", i)]["params_M"] * 1e6,
              1e6 / rows[("BM_TrainSize", i)]["tokens_per_second"]) for i in range(3)]
    gen = [(rows[("BM_GenerateSize", i)]["params_M"] * 1e6,
            1e6 / rows[("BM_GenerateSize", i)]["gen_tok_per_s"]) for i in range(3)]
    size = Panel((80, 60, 330, 280), [p for p, _ in train], [t for _, t in train + gen],
                 ("Cost per token against model size", "parameters (tiny, small, medium)",
                  "μs per token"),
                 [(1e6, "1 M"), (3e6, "3 M"), (1e7, "10 M"), (3e7, "30 M"), (1e8, "100 M")])
    size.line(train, "#d62728", "training")
    size.line(gen, "#1f77b4", "generation")
    Ts = contexts(rows)
    train_t = [(T, 1e6 / rows[("BM_TrainContext", T)]["tokens_per_second"]) for T in Ts]
    gen_t = [(T, 1e6 / rows[("BM_GenerateContext", T)]["gen_tok_per_s"])
             for T in Ts if ("BM_GenerateContext", T) in rows]
    pre_t = [(T, 1e6 / rows[("BM_PrefillContext", T)]["prompt_tok_per_s"])
             for T in Ts if ("BM_PrefillContext", T) in rows]
    ctx = Panel((580, 60, 330, 280), Ts, [t for _, t in train_t + gen_t + pre_t],
                ("Cost per token against context (small)", "context length (tokens)",
                 "μs per token"), [(T, f"{T}") for T in Ts])
    ctx.line(train_t, "#d62728", "training")
    ctx.line(gen_t, "#1f77b4", "generation")
    ctx.line(pre_t, "#2ca02c", "prefill")
    style = ("<style>text{font-family:sans-serif;font-size:12px;fill:#333}"
             ".title{font-size:14px;font-weight:bold;text-anchor:middle}"
             ".label{text-anchor:middle}.tick{text-anchor:middle;fill:#666}"
             ".ytick{text-anchor:end;fill:#666}.end{font-weight:bold}"
             ".grid{stroke:#ddd}.frame{fill:none;stroke:#999}</style>")
    body = "\n".join(size.parts + ctx.parts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="420" '
            f'viewBox="0 0 1000 420">{style}<rect width="1000" height="420" fill="white"/>'
            f'{body}<text x="500" y="408" class="label">{machine}</text></svg>\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", help="bench_scaling --benchmark_format=json output")
    parser.add_argument("--out", default=".", help="folder for scaling.md and scaling.svg")
    args = parser.parse_args()
    context, rows = medians(args.json)
    machine = machine_line(context, rows)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    text = [f"Measured on {machine}; medians of the benchmark's repetitions.", "",
            *size_table(rows), "", *context_table(rows), ""]
    (out / "scaling.md").write_text("\n".join(text))
    (out / "scaling.svg").write_text(chart(rows, machine))
    print("\n".join(text))


if __name__ == "__main__":
    main()
