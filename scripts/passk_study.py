#!/usr/bin/env python3
"""Does RL teach new solutions or sharpen old ones? pass@k and maj@k of the cold start, the GRPO
arm and the SFT control arm of one experiment, on several seeds.

Each config (e.g. assets/experiments/addition-pool256.json, `control: sft`) is trained on every
seed: run 1 is the pipeline (SFT, then GRPO), run 2 its control arm (SFT continued for the GRPO
stage's training time). Then `tinyseek passk --db ... --run ... --step ...` measures, on the
same held-out problems and sample streams, three checkpoints of each seed:
  - cold start: run 1 at the SFT stage's end,
  - GRPO: run 1 at its end,
  - control: run 2 at its end,
and stores each curve in the seed's database (the window's Evaluation page draws them). The
report gives pass@k and maj@k for every k, and where the control arm's pass@k first reaches the
GRPO arm's (the curves cross) or that it never does.

    python3 scripts/passk_study.py --tinyseek build/tinyseek --out /tmp/passk-study \
        assets/experiments/addition-pool256.json

A run already completed in --out is not trained again, and a curve already stored with the
same settings is not measured again, so an interrupted study continues.
"""
import json
import sqlite3
import subprocess

from mtp_study import db_path, study_arguments, train_all

ARM = "run"  # one training command per seed: the control arm is the run's linked run 2
CHECKPOINTS = ("cold start", "GRPO", "control")


def checkpoint_steps(db):
    """{name: (run, step)} of the three checkpoints measured."""
    with sqlite3.connect(db) as con:
        sft_end = con.execute("SELECT max(step) FROM steps WHERE run_id = 1 AND stage = 'sft'"
                              ).fetchone()[0]
        last = {run: con.execute("SELECT max(step) FROM checkpoints WHERE run_id = ?",
                                 (run,)).fetchone()[0] for run in (1, 2)}
    return {"cold start": (1, sft_end), "GRPO": (1, last[1]), "control": (2, last[2])}


def stored_curve(db, run, step, a):
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT k, pass, majority FROM pass_at_k WHERE run_id = ? AND step = ? AND "
            "temperature = ? AND problems = ? AND samples = ? AND seed = ? ORDER BY k",
            (run, step, a.temperature, a.problems, a.samples, a.seed)).fetchall()
    if not rows:
        return None
    return {"k": [r[0] for r in rows], "pass": [r[1] for r in rows],
            "majority": [r[2] for r in rows]}


def measure(a, db, run, step):
    """The curve of one checkpoint, measured unless already stored."""
    try:
        curve = stored_curve(db, run, step, a)
    except sqlite3.OperationalError:  # a database of schema version 2: no pass_at_k table yet
        curve = None
    if curve is not None:
        return curve
    subprocess.run([a.tinyseek, "passk", "--db", str(db), "--run", str(run), "--step", str(step),
                    "--problems", str(a.problems), "--samples", str(a.samples),
                    "--temperature", str(a.temperature), "--seed", str(a.seed), "--json"],
                   check=True, stdout=subprocess.DEVNULL)
    return stored_curve(db, run, step, a)


def crossing(grpo, control):
    """The first k where the control arm's pass@k reaches the GRPO arm's, or None."""
    for k, g, c in zip(grpo["k"], grpo["pass"], control["pass"]):
        if c >= g:
            return k
    return None


def pct(x):
    return f"{100 * x:.1f}"


def table(title, rows, key):
    """One markdown table: k down, a column per (seed, checkpoint)."""
    head = [f"s{seed} {name}" for seed, _ in rows for name in CHECKPOINTS]
    lines = [f"### {title}: {key}", "", "| k | " + " | ".join(head) + " |",
             "|---|" + "---|" * len(head)]
    ks = rows[0][1]["GRPO"]["k"]
    for i, k in enumerate(ks):
        cells = [pct(curves[name][key][i]) for _, curves in rows for name in CHECKPOINTS]
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    p = study_arguments(__doc__.splitlines()[0], "passk-study")
    p.add_argument("--problems", type=int, default=200)
    p.add_argument("--samples", type=int, default=64)
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=7, help="held-out set and sampling seed")
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    train_all(a.tinyseek, a.out, a.configs, a.seeds, {ARM: []}, a.jobs)
    for config in a.configs:
        rows = []
        for seed in a.seeds:
            db = db_path(a.out, config, seed, ARM)
            steps = checkpoint_steps(db)
            curves = {name: dict(measure(a, db, *steps[name]), run=steps[name][0],
                                 step=steps[name][1]) for name in CHECKPOINTS}
            curves["pass_crossing_k"] = crossing(curves["GRPO"], curves["control"])
            rows.append((seed, curves))
        for key in ("pass", "majority"):
            print(table(config.stem, rows, key), "\n")
        for seed, curves in rows:
            k = curves["pass_crossing_k"]
            print(f"seed {seed}: control pass@k reaches GRPO's "
                  + (f"at k = {k}" if k else "at no k measured"))
        (a.out / f"{config.stem}.json").write_text(json.dumps(dict(rows), indent=2))


if __name__ == "__main__":
    main()
