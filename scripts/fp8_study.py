#!/usr/bin/env python3
"""Does the tiny model train as well in FP8 as in FP32? Trains each config both ways per seed.

The two runs of a seed differ only in `--precision fp8` (core/fp8_training.h): same seed, same
data order, same evaluations, so their SFT losses can be compared step by step. Reported per
seed, from the stored metrics:
  - the relative SFT loss gap (mean fp8 loss - mean fp32 loss) / mean fp32 loss over the stage's
    last 10% of steps, and over the whole stage;
  - beside each, the same gap between two FP32 runs of different seeds (each seed against the
    next one of --seeds, cyclically; none with a single seed),
    the noise a gap must stand out from;
  - held-out greedy accuracy of both at step 1,000 (or the evaluation nearest before it) and
    at the end.

    python3 scripts/fp8_study.py --tinyseek build/tinyseek --out /tmp/fp8-study \\
        assets/experiments/mtp-addition.json

Extra flags for the FP8 arm (an ablation) follow --fp8-flags, e.g.
    --fp8-flags=--fp8-scaling=tensor
A run already completed in --out is not trained again.
"""
import json
import pathlib
import sqlite3
import statistics

from mtp_study import db_path, evaluations, study_arguments, train_all


def losses(db, last_step):
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT step, value FROM metrics WHERE run_id = 1 AND key = 'loss'"
                           " AND step <= ? ORDER BY step", (last_step,)).fetchall()
    return dict(rows)


def mean_gap(a, b, first, last):
    """(mean a - mean b) / mean b over the steps first..last both runs logged."""
    steps = [s for s in range(first, last + 1) if s in a and s in b]
    return (statistics.mean(a[s] for s in steps) - statistics.mean(b[s] for s in steps)) / \
        statistics.mean(b[s] for s in steps)


def tail_mean(a, steps):
    return statistics.mean(a[s] for s in range(int(0.9 * steps) + 1, steps + 1) if s in a)


def accuracy_at(evals, step):
    before = [acc for s, _, acc in evals if s <= step]
    return before[-1] if before else float("nan")


def main():
    p = study_arguments(__doc__.splitlines()[0], "fp8-study")
    p.add_argument("--fp8-flags", default="", help="extra train flags of the FP8 arm")
    p.add_argument("--fp8-arm", default="fp8", help="name of the FP8 arm's databases")
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    arms = {"fp32": [], a.fp8_arm: ["--precision", "fp8"] + a.fp8_flags.split()}
    train_all(a.tinyseek, a.out, a.configs, a.seeds, arms, a.jobs)
    for config in a.configs:
        sft_steps = json.loads(config.read_text())["sft"]["steps"]
        print(f"### {config.stem}: {a.fp8_arm} against fp32\n")
        print("| seed | SFT loss, last 10%: fp32 | gap, last 10% | FP32 seed gap, last 10% "
              "| gap, whole SFT | FP32 seed gap, whole SFT | acc. step 1000: fp8 / fp32 "
              "| acc. end: fp8 / fp32 |")
        print("|---|---|---|---|---|---|---|---|")
        tail = int(0.9 * sft_steps) + 1
        for i, seed in enumerate(a.seeds):
            dbs = {arm: db_path(a.out, config, seed, arm) for arm in arms}
            loss = {arm: losses(db, sft_steps) for arm, db in dbs.items()}
            # The next seed of the list (cyclically); with one seed there is no seed gap.
            next_seed = a.seeds[(i + 1) % len(a.seeds)]
            other = losses(db_path(a.out, config, next_seed, "fp32"), sft_steps) \
                if next_seed != seed else None
            ev = {arm: evaluations(db) for arm, db in dbs.items()}
            cells = [f"{tail_mean(loss['fp32'], sft_steps):.5f}"]
            for first in (tail, 1):
                seed_gap = "—" if other is None else \
                    f"{100 * mean_gap(other, loss['fp32'], first, sft_steps):+.1f}%"
                cells += [f"{100 * mean_gap(loss[a.fp8_arm], loss['fp32'], first, sft_steps):+.1f}%",
                          seed_gap]
            cells += [f"{100 * accuracy_at(ev[a.fp8_arm], 1000):.1f} / "
                      f"{100 * accuracy_at(ev['fp32'], 1000):.1f}",
                      f"{100 * ev[a.fp8_arm][-1][2]:.1f} / {100 * ev['fp32'][-1][2]:.1f}"]
            print(f"| {seed} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
