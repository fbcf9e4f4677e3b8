#!/usr/bin/env python3
"""Writes a run of a TinySeek database the way verl writes its logs, to try `tinyseek import`
and the window's Follow without a GPU cluster:

  OUT/<name>.jsonl         verl's file logger (verl/utils/tracking.py, FileLogger, v0.6):
                           json.dumps({"step": N, "data": {...}}) per step, under verl's
                           metric names where one exists (critic/score/mean, actor/pg_loss, ...)
  OUT/rollouts/<N>.jsonl   RayPPOTrainer._dump_generations of the training samples
  OUT/validation/<N>.jsonl the same for the held-out samples

With --steps-per-second R the lines are written at that rate (the dumps with their step), as a
run still training writes them; 0 writes everything at once.

  python3 scripts/verl_log_from_run.py --db runs.db --run 1 --out verl-run [--steps-per-second 20]
"""
import argparse
import json
import os
import sqlite3
import time

# The workbench's names -> verl's (the inverse of imports/metric_names.cpp for verl).
VERL_NAMES = {
    "reward": "critic/score/mean",
    "loss": "actor/pg_loss",
    "kl": "actor/kl_loss",
    "entropy": "actor/entropy",
    "clip_ratio": "actor/pg_clipfrac",
    "grad_norm": "actor/grad_norm",
    "learning_rate": "actor/lr",
    "completions/mean_length": "response_length/mean",
    "tokens_per_second": "perf/throughput",
}


def steps_of(db, run):
    rows = db.execute("SELECT step, wall_time FROM steps WHERE run_id = ? ORDER BY step", (run,))
    return [(s, w) for s, w in rows]


def metrics_of(db, run, step):
    rows = db.execute("SELECT key, value FROM metrics WHERE run_id = ? AND step = ?", (run, step))
    return {VERL_NAMES.get(k, k): (float("nan") if v is None else v) for k, v in rows}


def dump(db, run, step, source, path):
    columns = {row[1] for row in db.execute("PRAGMA table_info(rollouts)")}
    if "source" in columns:  # schema version 4 on
        rows = db.execute(
            "SELECT prompt, completion, reward, accuracy FROM rollouts "
            "WHERE run_id = ? AND step = ? AND source = ? ORDER BY group_index, member, id",
            (run, step, source)).fetchall()
    else:  # older files hold training samples only
        rows = [] if source != "train" else db.execute(
            "SELECT prompt, completion, reward, accuracy FROM rollouts "
            "WHERE run_id = ? AND step = ? ORDER BY id", (run, step)).fetchall()
    if not rows:
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = [json.dumps({"input": p, "output": c, "score": r, "step": step, "acc": a == 1.0},
                        ensure_ascii=False) for p, c, r, a in rows]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--run", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", default="tinyseek_run")
    ap.add_argument("--steps-per-second", type=float, default=0.0)
    args = ap.parse_args()
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    os.makedirs(args.out, exist_ok=True)
    previous = 0.0
    with open(os.path.join(args.out, args.name + ".jsonl"), "w") as log:
        for step, wall_time in steps_of(db, args.run):
            data = metrics_of(db, args.run, step)
            data["timing_s/step"] = max(0.0, wall_time - previous)
            previous = wall_time
            dump(db, args.run, step, "train", os.path.join(args.out, "rollouts", f"{step}.jsonl"))
            dump(db, args.run, step, "eval", os.path.join(args.out, "validation", f"{step}.jsonl"))
            log.write(json.dumps({"step": step, "data": data}) + "\n")
            if args.steps_per_second > 0:
                log.flush()
                time.sleep(1.0 / args.steps_per_second)


if __name__ == "__main__":
    main()
