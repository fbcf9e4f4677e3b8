#!/usr/bin/env python3
"""What does the MTP module do to learning? Trains each pinned experiment with and without it.

For every config and seed, two runs differ only in `--no-mtp` (num_nextn_predict_layers = 0):
same seed, same data order, same evaluations. Two runs share the machine at a time (the
configs pin `threads: 1`). Then, from the stored metrics:
  - held-out greedy accuracy at equal steps (half-way through SFT, the SFT stage's end, the
    run's end) and its mean over the SFT stage's evaluations (how fast it learnt);
  - at equal training time: each arm's accuracy at its last evaluation inside the time the
    faster arm needed for the whole run (the training clock excludes evaluations);
  - the MTP draft's greedy acceptance (`tinyseek eval --draft-acceptance`) at the SFT stage's
    end and at the run's end.

    python3 scripts/mtp_study.py --tinyseek build/tinyseek --out /tmp/mtp-study \
        assets/experiments/mtp-addition.json assets/experiments/mtp-countdown.json

A run already completed in --out is not trained again, so an interrupted study continues.
"""
import argparse
import json
import pathlib
import sqlite3
import statistics
import subprocess
from concurrent.futures import ThreadPoolExecutor

ARMS = ("mtp", "no-mtp")
ARM_FLAGS = {"mtp": [], "no-mtp": ["--no-mtp"]}


def db_path(out, config, seed, arm):
    return out / f"{config.stem}-s{seed}-{arm}.db"


def completed(db):
    if not db.exists():
        return False
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT status FROM runs WHERE id = 1").fetchone()
    return row is not None and row[0] == "completed"


def train(tinyseek, out, config, seed, arm, flags):
    """One run of `config` with the arm's extra command-line flags, unless already completed."""
    db = db_path(out, config, seed, arm)
    if completed(db):
        return
    db.unlink(missing_ok=True)
    cmd = [tinyseek, "train", "--db", str(db), "--config", str(config), "--seed", str(seed),
           "--json"] + flags
    log = db.with_suffix(".log")
    with open(log, "w") as f:
        subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, check=True)


def train_all(tinyseek, out, configs, seeds, arm_flags, jobs):
    """Every (config, seed, arm), `jobs` at a time (the configs pin threads: 1)."""
    runs = [(c, s, arm, flags) for c in configs for s in seeds for arm, flags in arm_flags.items()]
    with ThreadPoolExecutor(jobs) as pool:
        for f in [pool.submit(train, tinyseek, out, *r) for r in runs]:
            f.result()


def evaluations(db):
    """(step, training seconds, accuracy) of every greedy held-out evaluation, in step order."""
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT step, wall_time, value FROM metrics WHERE run_id = 1 AND key = 'eval/accuracy'"
            " ORDER BY step").fetchall()


def accuracy_at_step(evals, step):
    return next(acc for s, _, acc in evals if s == step)


def accuracy_within(evals, seconds):
    inside = [acc for _, t, acc in evals if t <= seconds]
    return inside[-1] if inside else float("nan")


def acceptance(tinyseek, checkpoint, n):
    out = subprocess.run([tinyseek, "eval", "--model", str(checkpoint), "--n", str(n),
                          "--draft-acceptance", "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["draft_acceptance"]


def measure(tinyseek, out, config, seed, sft_steps, n):
    row = {}
    evals = {arm: evaluations(db_path(out, config, seed, arm)) for arm in ARMS}
    for arm in ARMS:
        e = evals[arm]
        sft = [acc for s, _, acc in e if s <= sft_steps]
        row[arm] = {"mid_sft": accuracy_at_step(e, sft_steps // 2),
                    "sft_end": accuracy_at_step(e, sft_steps), "final": e[-1][2],
                    "sft_curve_mean": statistics.mean(sft), "steps": e[-1][0],
                    "seconds": e[-1][1]}
    # Equal training time: each arm at the last evaluation inside the faster arm's whole run.
    budget = min(row[arm]["seconds"] for arm in ARMS)
    for arm in ARMS:
        row[arm]["at_equal_time"] = accuracy_within(evals[arm], budget)
    ckpt = db_path(out, config, seed, "mtp").with_suffix("")
    ckpt = ckpt.parent / (ckpt.name + "-checkpoints") / "run-1"
    row["mtp"]["acceptance_sft_end"] = acceptance(tinyseek, ckpt / f"step-{sft_steps}", n)
    row["mtp"]["acceptance_final"] = acceptance(tinyseek, ckpt / f"step-{row['mtp']['steps']}", n)
    return row


def pct(x):
    return f"{100 * x:.1f}"


COLUMNS = [("mid_sft", "acc. mid-SFT"), ("sft_end", "acc. SFT end"), ("final", "acc. final"),
           ("sft_curve_mean", "mean acc. over SFT evals"),
           ("at_equal_time", "acc. at equal training time")]


def table_row(label, arm, r):
    cells = [pct(r[key]) for key, _ in COLUMNS] + [f"{r['seconds']:.0f}"]
    if arm == "mtp":
        cells.append(f"{pct(r['acceptance_sft_end'])} / {pct(r['acceptance_final'])}")
    else:
        cells.append("—")
    return f"| {label} | {arm} | " + " | ".join(cells) + " |"


def table(config, rows):
    head = [title for _, title in COLUMNS] + ["training s", "draft acceptance SFT end / final"]
    lines = [f"### {config.stem}", "", "| seed | arm | " + " | ".join(head) + " |",
             "|---|---|" + "---|" * len(head)]
    for seed, r in rows:
        lines += [table_row(str(seed), arm, r[arm]) for arm in ARMS]
    for arm in ARMS:
        mean = {key: statistics.mean(r[arm][key] for _, r in rows)
                for key in r[arm] if key != "steps"}
        lines.append(table_row("mean", arm, mean))
    return "\n".join(lines)


def study_arguments(description, out):
    """The arguments every study takes: configs, binary, output folder, seeds, parallel runs."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("configs", nargs="+", type=pathlib.Path)
    p.add_argument("--tinyseek", default="build/tinyseek")
    p.add_argument("--out", type=pathlib.Path, default=pathlib.Path(out))
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--jobs", type=int, default=2)
    return p


def main():
    p = study_arguments(__doc__.splitlines()[0], "mtp-study")
    p.add_argument("--acceptance-n", type=int, default=100,
                   help="held-out problems for the draft acceptance")
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    train_all(a.tinyseek, a.out, a.configs, a.seeds, ARM_FLAGS, a.jobs)
    for config in a.configs:
        sft_steps = json.loads(config.read_text())["sft"]["steps"]
        rows = [(s, measure(a.tinyseek, a.out, config, s, sft_steps, a.acceptance_n))
                for s in a.seeds]
        print(table(config, rows), "\n")
        (a.out / f"{config.stem}.json").write_text(json.dumps(dict(rows), indent=2))


if __name__ == "__main__":
    main()
