#!/usr/bin/env python3
"""Does GRPO learn to think? A cold start on a mixture of worked and direct traces, then GRPO.

Each config (e.g. assets/experiments/think-or-answer.json: a 50/50 cold start of worked traces
and direct answers, `control: sft`) is trained on every seed. A run holds the GRPO arm (run 1)
and its SFT control arm (run 2: the same mixture, from the same checkpoint, for the GRPO
stage's training time). From their held-out evaluations (500 problems, never trained on):
  - the share of completions that think, greedy and sampled at the rollout temperature, and
    the mean sampled completion length: at the cold start's end, across the control arm, and
    when the GRPO arm's sampled share first reached 95% (seconds of GRPO training time);
  - greedy accuracy of both arms at every evaluation of the GRPO stage: the GRPO arm's lead at
    the first, smallest and last evaluation, and at how many the control was ahead.

    python3 scripts/think_study.py --tinyseek build/tinyseek --out /tmp/think-study \
        assets/experiments/think-or-answer.json

A variant trains every seed again with extra flags, as its own arm beside the default one:

    python3 scripts/think_study.py ... --variant "lr3e-4=--grpo-lr 3e-4"

A run already completed in --out is not trained again, so an interrupted study continues.
"""
import json
import sqlite3
import statistics

from mtp_study import db_path, study_arguments, train_all

ARM = "grpo"  # one training command per seed: the control arm is the run's linked run 2
THRESHOLD = 0.95
SERIES = ("eval/accuracy", "eval/think_share", "eval/sampled_think_share",
          "eval/sampled_mean_length", "eval/sampled_accuracy", "eval/accuracy/think",
          "eval/accuracy/direct")


def series(db, run):
    """{step: (training seconds, {key: value})} of the run's evaluations."""
    out = {}
    with sqlite3.connect(db) as con:
        for step, t, key, value in con.execute(
                "SELECT step, wall_time, key, value FROM metrics WHERE run_id = ? AND key IN "
                f"({','.join('?' * len(SERIES))}) ORDER BY step", (run, *SERIES)):
            out.setdefault(step, (t, {}))[1][key] = value
    return out


def sft_steps_of(db):
    """The SFT stage's length as the run stored it (a --variant may change it)."""
    with sqlite3.connect(db) as con:
        config = json.loads(con.execute("SELECT config FROM runs WHERE id = 1").fetchone()[0])
    return config["sft"]["steps"]


def measure(db):
    grpo, control = series(db, 1), series(db, 2)
    sft_steps = sft_steps_of(db)
    start_time, cold = grpo[sft_steps]
    stage = [(t - start_time, m) for s, (t, m) in sorted(grpo.items()) if s > sft_steps]
    ctrl = [(t - start_time, m) for _, (t, m) in sorted(control.items())]
    reached = next((t for t, m in stage if m["eval/sampled_think_share"] >= THRESHOLD), None)
    # The control evaluates after the step whose share of its budget first reaches each GRPO
    # evaluation's clock time (docs: Control arm), so the two clocks nearly agree; two GRPO
    # times can share one control evaluation. Each GRPO evaluation meets the control's nearest.
    def nearest(t):
        return min(ctrl, key=lambda c: abs(c[0] - t))[1]
    leads = [g["eval/accuracy"] - nearest(t)["eval/accuracy"] for t, g in stage]
    return {
        "cold_start": cold,
        "grpo_final": stage[-1][1],
        "control_final": ctrl[-1][1],
        "grpo_seconds": stage[-1][0],
        "seconds_to_threshold": reached,
        "control_sampled_share_range": [min(m["eval/sampled_think_share"] for _, m in ctrl),
                                        max(m["eval/sampled_think_share"] for _, m in ctrl)],
        "lead_first": leads[0], "lead_min": min(leads), "lead_last": leads[-1],
        "control_ahead": sum(lead < 0 for lead in leads), "evaluations": len(leads),
        "grpo_curve": [(t, m) for t, m in stage], "control_curve": [(t, m) for t, m in ctrl],
    }


def pct(x):
    return f"{100 * x:.1f}"


def pct_or_dash(metrics, key):
    """A style nobody used has no accuracy: a dash, not 0%."""
    return pct(metrics[key]) if key in metrics else "–"


def table(title, rows):
    lines = [f"### {title}", "",
             "| seed | cold start: thinks greedy / sampled, acc. (thinking / direct) | "
             "GRPO: 95% sampled after | "
             "GRPO end: thinks sampled, length, acc. | control end: thinks sampled (range), "
             "length, acc. | GRPO lead: first / min / last (control ahead) |",
             "|---|---|---|---|---|---|"]
    for seed, r in rows:
        c, g, k = r["cold_start"], r["grpo_final"], r["control_final"]
        lo, hi = r["control_sampled_share_range"]
        reached = "never" if r["seconds_to_threshold"] is None \
            else f"{r['seconds_to_threshold']:.0f} s"
        lines.append(
            f"| {seed} | {pct(c['eval/think_share'])} / {pct(c['eval/sampled_think_share'])}, "
            f"{pct(c['eval/accuracy'])} ({pct_or_dash(c, 'eval/accuracy/think')} / "
            f"{pct_or_dash(c, 'eval/accuracy/direct')}) | {reached} of {r['grpo_seconds']:.0f} s | "
            f"{pct(g['eval/sampled_think_share'])}, {g['eval/sampled_mean_length']:.1f}, "
            f"{pct(g['eval/accuracy'])} | {pct(k['eval/sampled_think_share'])} "
            f"({pct(lo)}–{pct(hi)}), {k['eval/sampled_mean_length']:.1f}, "
            f"{pct(k['eval/accuracy'])} | {100 * r['lead_first']:+.1f} / "
            f"{100 * r['lead_min']:+.1f} / {100 * r['lead_last']:+.1f} "
            f"({r['control_ahead']} of {r['evaluations']}) |")
    mean = statistics.mean
    lines.append(
        f"| mean | {pct(mean(r['cold_start']['eval/think_share'] for _, r in rows))} / "
        f"{pct(mean(r['cold_start']['eval/sampled_think_share'] for _, r in rows))}, "
        f"{pct(mean(r['cold_start']['eval/accuracy'] for _, r in rows))} | | "
        f"{pct(mean(r['grpo_final']['eval/sampled_think_share'] for _, r in rows))}, "
        f"{mean(r['grpo_final']['eval/sampled_mean_length'] for _, r in rows):.1f}, "
        f"{pct(mean(r['grpo_final']['eval/accuracy'] for _, r in rows))} | "
        f"{pct(mean(r['control_final']['eval/sampled_think_share'] for _, r in rows))}, "
        f"{mean(r['control_final']['eval/sampled_mean_length'] for _, r in rows):.1f}, "
        f"{pct(mean(r['control_final']['eval/accuracy'] for _, r in rows))} | "
        f"{100 * mean(r['lead_last'] for _, r in rows):+.1f} (last) |")
    return "\n".join(lines)


def main():
    p = study_arguments(__doc__.splitlines()[0], "think-study")
    p.add_argument("--variant", action="append", default=[],
                   help="NAME=FLAGS: another arm, every seed trained with these extra flags")
    a = p.parse_args()
    arms = {ARM: []}
    for v in a.variant:
        name, _, flags = v.partition("=")
        arms[name] = flags.split()
    a.out.mkdir(parents=True, exist_ok=True)
    train_all(a.tinyseek, a.out, a.configs, a.seeds, arms, a.jobs)
    for config in a.configs:
        for arm in arms:
            rows = [(s, measure(db_path(a.out, config, s, arm))) for s in a.seeds]
            title = config.stem if arm == ARM else f"{config.stem}, {arm}"
            print(table(title, rows), "\n")
            (a.out / f"{config.stem}-{arm}.json").write_text(json.dumps(dict(rows), indent=2))


if __name__ == "__main__":
    main()
