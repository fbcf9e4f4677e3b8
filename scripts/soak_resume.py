#!/usr/bin/env python3
"""Crash-and-resume soak test of `tinyseek train` (python3 standard library only).

Trains one short run uninterrupted as the reference, then N trials: each starts the same run
in a fresh database, kills it with SIGKILL at a random moment, checks the database
(PRAGMA integrity_check), resumes it with `tinyseek train --resume` to completion and compares
it with the reference:

  - every stored metric of the main run (timing metrics aside), per step, bit for bit;
  - its steps, expert statistics and rollouts;
  - the final checkpoint's weights and AdamW state (model.safetensors, optimizer.safetensors),
    byte for byte;
  - the control arm, whose step budget is measured from the training clock and so differs from
    run to run: its metrics at the steps both runs took (evaluations where both evaluated);
  - leftovers: checkpoint folders of the run that the database does not list.

A kill before the run row exists leaves nothing to resume; the trial then starts the run
again, as a user would, and says so.

Usage: nice -n 10 python3 scripts/soak_resume.py [--trials 100] [--binary build/tinyseek]
           [--work DIR] [--seed S] [--config FILE]
The default config is the tiny preset on 3-digit addition, briefly: 60 SFT steps, 6 GRPO
steps, evaluations, the control arm and periodic checkpoints every 5 steps or 3 s of training
(2 kept), one thread; its run takes about 12 s, so 100 trials take about 35 minutes on a busy
2-core machine. Prints a table; exits 1 when any trial
found a damaged database, did not complete, or differs from the reference.
"""

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

# The tiny preset itself (so checkpoints are the real 27 MB), trained briefly.
SHORT_RUN = {
    "name": "soak",
    "pipeline": ["sft", "grpo"],
    "sft": {"steps": 60, "batch_size": 8, "warmup_steps": 5, "cold_start_pool": 128},
    "grpo": {"steps": 6, "prompts_per_step": 2, "group_size": 4, "max_new_tokens": 32,
             "warmup_steps": 1},
    "eval": {"n": 20, "every_sft": 20, "every_grpo": 3},
    "control": "sft",
    "threads": 1,
    "seed": 3,
    "checkpoint_every": 5,
    "checkpoint_every_seconds": 3,
    "checkpoint_keep": 2,
}

MAIN_RUN, CONTROL_RUN = 1, 2


def connect(db):
    # Read-only: the check must not change what the resume will find.
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def integrity(db):
    try:
        with connect(db) as c:
            return c.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as e:
        return f"cannot open: {e}"


def has_run(db, run_id):
    if not Path(db).exists():
        return False
    try:
        with connect(db) as c:
            return c.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is not None
    except sqlite3.Error:
        return False


def status(db, run_id):
    with connect(db) as c:
        row = c.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
    return row[0] if row else None


def where_killed(db, killed):
    """Which part of the run the kill interrupted, from what the database holds."""
    if not killed:
        return "not killed: the run finished first"
    if not has_run(db, MAIN_RUN):
        return "before the run existed"
    with connect(db) as c:
        control = c.execute("SELECT count(*) FROM steps WHERE run_id = ?",
                            (CONTROL_RUN,)).fetchone()[0]
        row = c.execute("SELECT stage FROM steps WHERE run_id = ? ORDER BY step DESC LIMIT 1",
                        (MAIN_RUN,)).fetchone()
    if control > 0:
        return "control arm"
    return f"{row[0]} stage" if row else "before the first step"


def timing(key):
    """Wall-clock metrics (training/step_report.h: metric::is_timing)."""
    return "second" in key or key == "mfu"


def metrics(db, run_id):
    """{step: {key: value}} without timing metrics."""
    out = {}
    with connect(db) as c:
        for step, key, value in c.execute(
                "SELECT step, key, value FROM metrics WHERE run_id = ?", (run_id,)):
            if not timing(key):
                out.setdefault(step, {})[key] = value
    return out


def step_rows(db, run_id):
    """What every stored step holds besides its metrics and timings, in a comparable form."""
    with connect(db) as c:
        steps = c.execute("SELECT step, stage FROM steps WHERE run_id = ? ORDER BY step",
                          (run_id,)).fetchall()
        experts = c.execute(
            "SELECT step, layer, expert, load, gate_weight, bias FROM expert_load "
            "WHERE run_id = ? ORDER BY step, layer, expert", (run_id,)).fetchall()
        rollouts = c.execute(
            "SELECT step, prompt, completion, accuracy, format, reward, advantage, length, "
            "malformed FROM rollouts WHERE run_id = ? ORDER BY step, id",
            (run_id,)).fetchall()
    return steps, experts, rollouts


def final_checkpoint(db, run_id):
    with connect(db) as c:
        row = c.execute("SELECT path FROM checkpoints WHERE run_id = ? ORDER BY step DESC "
                        "LIMIT 1", (run_id,)).fetchone()
    return Path(row[0]) if row else None


def same_checkpoint(a, b):
    if a is None or b is None:
        return False
    return all((a / f).read_bytes() == (b / f).read_bytes()
               for f in ("model.safetensors", "optimizer.safetensors"))


def unlisted_folders(db, run_id):
    """Checkpoint folders of the run that the database does not list."""
    with connect(db) as c:
        listed = {Path(p).name for (p,) in c.execute(
            "SELECT path FROM checkpoints WHERE run_id = ?", (run_id,))}
    run_dir = Path(db).with_name(Path(db).stem + "-checkpoints") / f"run-{run_id}"
    if not run_dir.is_dir():
        return []
    return [p.name for p in run_dir.iterdir() if p.name not in listed]


def control_mismatches(ref_db, db):
    """(steps compared, steps whose common metrics differ) of the two control arms."""
    ref, got = metrics(ref_db, CONTROL_RUN), metrics(db, CONTROL_RUN)
    common = sorted(set(ref) & set(got))
    differ = 0
    for step in common:
        keys = set(ref[step]) & set(got[step])
        if any(ref[step][k] != got[step][k] for k in keys):
            differ += 1
    return len(common), differ


def train(binary, args, log):
    with open(log, "ab") as out:
        return subprocess.run([binary, "train", *args], stdout=out, stderr=out).returncode


def reference_run(binary, work, config):
    db = work / "reference.db"
    started = time.monotonic()
    code = train(binary, ["--db", str(db), "--config", str(config)], work / "reference.log")
    seconds = time.monotonic() - started
    if code != 0 or status(db, MAIN_RUN) != "completed":
        sys.exit(f"the reference run failed (exit {code}); see {work / 'reference.log'}")
    return db, seconds


def trial(binary, work, config, ref_db, duration, rng, index):
    tdir = work / f"trial-{index:03d}"
    shutil.rmtree(tdir, ignore_errors=True)
    tdir.mkdir(parents=True)
    db, log = tdir / "runs.db", tdir / "train.log"
    kill_at = rng.uniform(0.01, 0.9) * duration
    started = time.monotonic()
    with open(log, "ab") as out:
        proc = subprocess.Popen([binary, "train", "--db", str(db), "--config", str(config)],
                                stdout=out, stderr=out)
        try:
            proc.wait(timeout=kill_at)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    r = {"kill_at": kill_at, "killed": proc.returncode == -signal.SIGKILL,
         "seconds": time.monotonic() - started}
    r["integrity"] = integrity(db) if db.exists() else "ok"
    r["where"] = where_killed(db, r["killed"])
    if has_run(db, MAIN_RUN):
        r["started_again"] = False
        code = train(binary, ["--db", str(db), "--resume", str(MAIN_RUN)], log) \
            if status(db, MAIN_RUN) != "completed" else 0
    else:
        r["started_again"] = True
        code = train(binary, ["--db", str(db), "--config", str(config)], log)
    r["completed"] = code == 0 and status(db, MAIN_RUN) == "completed"
    r["integrity_after"] = integrity(db)
    if not r["completed"]:
        return r
    r["metrics_differ"] = metrics(ref_db, MAIN_RUN) != metrics(db, MAIN_RUN)
    r["steps_differ"] = step_rows(ref_db, MAIN_RUN) != step_rows(db, MAIN_RUN)
    r["params_differ"] = not same_checkpoint(final_checkpoint(ref_db, MAIN_RUN),
                                             final_checkpoint(db, MAIN_RUN))
    r["control_compared"], r["control_differ"] = control_mismatches(ref_db, db)
    r["unlisted"] = unlisted_folders(db, MAIN_RUN) + unlisted_folders(db, CONTROL_RUN)
    if not (r["metrics_differ"] or r["steps_differ"] or r["params_differ"] or
            r["control_differ"] or r["unlisted"]):
        shutil.rmtree(tdir)  # kept for inspection otherwise
    return r


def table(results, reference_seconds, elapsed):
    done = [r for r in results if r["completed"]]
    places = {}
    for r in results:
        places[r["where"]] = places.get(r["where"], 0) + 1
    rows = [
        ("trials", len(results)),
        ("killed before the run finished", sum(r["killed"] for r in results)),
        *[(f"  where: {place}", n) for place, n in sorted(places.items())],
        ("  started again (no run to resume)", sum(r["started_again"] for r in results)),
        ("damaged databases after the kill (integrity_check)",
         sum(r["integrity"] != "ok" for r in results)),
        ("damaged databases after the resume", sum(r["integrity_after"] != "ok" for r in results)),
        ("runs resumed to completion", len(done)),
        ("runs whose final metrics differ", sum(r["metrics_differ"] for r in done)),
        ("runs whose steps, experts or rollouts differ", sum(r["steps_differ"] for r in done)),
        ("runs whose final parameters / AdamW state differ", sum(r["params_differ"] for r in done)),
        ("control arms with a differing step (of common steps)",
         f"{sum(r['control_differ'] > 0 for r in done)} "
         f"({sum(r['control_compared'] for r in done)} steps compared)"),
        ("runs leaving unlisted checkpoint folders", sum(bool(r["unlisted"]) for r in done)),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"\nreference run {reference_seconds:.1f} s; {len(results)} trials in "
          f"{elapsed / 60:.1f} min")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    bad = (len(done) != len(results) or any(
        r["integrity"] != "ok" or r["integrity_after"] != "ok" for r in results) or any(
        r["metrics_differ"] or r["steps_differ"] or r["params_differ"] or r["control_differ"]
        or r["unlisted"] for r in done))
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--trials", type=int, default=100)
    p.add_argument("--binary", default=str(Path(__file__).resolve().parent.parent / "build" /
                                           "tinyseek"))
    p.add_argument("--work", default="/tmp/tinyseek-soak-resume")
    p.add_argument("--seed", type=int, default=1, help="seed of the kill times")
    p.add_argument("--config", help="training config JSON (default: a built-in short run)")
    a = p.parse_args()
    work = Path(a.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = work / "config.json"
    if a.config:
        shutil.copy(a.config, config)
    else:
        config.write_text(json.dumps(SHORT_RUN, indent=2))
    started = time.monotonic()
    ref_db, reference_seconds = reference_run(a.binary, work, config)
    duration = reference_seconds  # where kills are aimed: 1-90 % of it
    rng = random.Random(a.seed)
    results = []
    for i in range(a.trials):
        r = trial(a.binary, work, config, ref_db, duration, rng, i)
        results.append(r)
        if not r["killed"]:
            # The machine got faster (it is shared): aim the next kills at the shorter run.
            duration = min(duration, r["seconds"])
        flags = [k for k in ("metrics_differ", "steps_differ", "params_differ") if r.get(k)]
        print(f"trial {i + 1:3d}: kill at {r['kill_at']:5.2f} s ({r['where']}), "
              f"integrity {r['integrity']}, "
              f"{'completed' if r['completed'] else 'NOT completed'}"
              f"{', ' + ', '.join(flags) if flags else ''}", flush=True)
    return table(results, reference_seconds, time.monotonic() - started)


if __name__ == "__main__":
    sys.exit(main())
