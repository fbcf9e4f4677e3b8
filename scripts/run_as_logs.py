#!/usr/bin/env python3
"""Writes a run of a TinySeek database the way other training programs write their logs, to
try `tinyseek import` and the window's Follow without a GPU cluster:

--format verl (verl v0.6: verl/utils/tracking.py FileLogger, RayPPOTrainer._dump_generations)
  OUT/<name>.jsonl          json.dumps({"step": N, "data": {...}}) per step, under verl's metric
                            names where one exists (critic/score/mean, actor/pg_loss, ...) and
                            timing_s/step from the run's training clock
  OUT/rollouts/<N>.jsonl    the training samples of step N (input, output, score, step, acc)
  OUT/validation/<N>.jsonl  the held-out samples

--format tensorboard (torch.utils.tensorboard's SummaryWriter: add_scalar, add_text)
  OUT/events.out.tfevents.<t>.<host>.<pid>.0   TFRecord-framed Event messages: a file_version
                            event, then one simple_value scalar per metric and step ("train/" in
                            front, as transformers' TensorBoardCallback writes them) and one text
                            summary per step with its first training sample

--format trl (transformers TrainerState.save_to_json)
  OUT/checkpoint-<N>/trainer_state.json   every --save-every steps, the log_history so far
                            (the run's metric names are TRL's already)

With --steps-per-second R the steps are written at that rate, as a run still training writes
them; 0 writes everything at once.

  python3 scripts/run_as_logs.py --db runs.db --run 1 --format verl --out verl-run [--steps-per-second 20]
"""
import argparse
import json
import math
import os
import sqlite3
import struct
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
    return {k: (float("nan") if v is None else v) for k, v in rows}


def samples_of(db, run, step, source):
    columns = {row[1] for row in db.execute("PRAGMA table_info(rollouts)")}
    if "source" in columns:  # schema version 4 on
        return db.execute(
            "SELECT prompt, completion, reward, accuracy FROM rollouts "
            "WHERE run_id = ? AND step = ? AND source = ? ORDER BY group_index, member, id",
            (run, step, source)).fetchall()
    if source != "train":  # older files hold training samples only
        return []
    return db.execute("SELECT prompt, completion, reward, accuracy FROM rollouts "
                      "WHERE run_id = ? AND step = ? ORDER BY id", (run, step)).fetchall()


class VerlWriter:
    def __init__(self, out, name):
        self.out = out
        self.log = open(os.path.join(out, name + ".jsonl"), "w")
        self.previous = 0.0

    def step(self, db, run, step, wall_time, metrics):
        data = {VERL_NAMES.get(k, k): v for k, v in metrics.items()}
        data["timing_s/step"] = max(0.0, wall_time - self.previous)
        self.previous = wall_time
        for source, folder in (("train", "rollouts"), ("eval", "validation")):
            self.dump(samples_of(db, run, step, source), step, folder)
        self.log.write(json.dumps({"step": step, "data": data}) + "\n")
        self.log.flush()

    def dump(self, rows, step, folder):
        if not rows:
            return
        os.makedirs(os.path.join(self.out, folder), exist_ok=True)
        lines = [json.dumps({"input": p, "output": c, "score": r, "step": step, "acc": a == 1.0},
                            ensure_ascii=False) for p, c, r, a in rows]
        with open(os.path.join(self.out, folder, f"{step}.jsonl"), "w") as f:
            f.write("\n".join(lines) + "\n")


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked_crc(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def field(number, wire_type, payload):
    key = varint(number << 3 | wire_type)
    return key + (varint(len(payload)) + payload if wire_type == 2 else payload)


class TensorBoardWriter:
    """Event (event.proto): wall_time 1 double, step 2 int64, file_version 3, summary 5.
    Summary.Value (summary.proto): tag 1, simple_value 2 float, tensor 8, metadata 9."""

    def __init__(self, out, start):
        self.start = start
        name = f"events.out.tfevents.{int(start):010d}.tinyseek.{os.getpid()}.0"
        self.file = open(os.path.join(out, name), "wb")
        self.write(field(1, 1, struct.pack("<d", start)) + field(3, 2, b"brain.Event:2"))

    def write(self, event):
        length = struct.pack("<Q", len(event))
        self.file.write(length + struct.pack("<I", masked_crc(length)) + event +
                        struct.pack("<I", masked_crc(event)))

    def event(self, wall_time, step, value):
        summary = field(1, 2, value)
        self.write(field(1, 1, struct.pack("<d", wall_time)) + field(2, 0, varint(step)) +
                   field(5, 2, summary))

    def step(self, db, run, step, wall_time, metrics):
        t = self.start + wall_time
        for key, v in sorted(metrics.items()):
            if math.isnan(v):
                continue
            self.event(t, step, field(1, 2, f"train/{key}".encode()) + field(2, 5, struct.pack("<f", v)))
        rows = samples_of(db, run, step, "train")
        if rows:
            plugin = field(1, 2, field(1, 2, b"text"))  # SummaryMetadata.plugin_data.plugin_name
            tensor = field(1, 0, varint(7)) + field(8, 2, (rows[0][0] + rows[0][1]).encode())
            self.event(t, step, field(1, 2, b"train/generated_samples/text_summary") +
                       field(9, 2, plugin) + field(8, 2, tensor))
        self.file.flush()


class TrlWriter:
    def __init__(self, out, save_every):
        self.out = out
        self.save_every = save_every
        self.history = []
        self.clock = 0.0

    def step(self, db, run, step, wall_time, metrics):
        entry = {k: v for k, v in metrics.items() if not k.startswith("eval/")}
        entry["step_time"] = max(0.0, wall_time - self.clock)
        self.clock = wall_time
        entry["step"] = step
        self.history.append(entry)
        evals = {"eval_" + k[5:]: v for k, v in metrics.items() if k.startswith("eval/")}
        if evals:
            self.history.append({**evals, "step": step})
        if step % self.save_every == 0:
            self.save(step)

    def save(self, step):
        state = {"global_step": step, "log_history": self.history, "logging_steps": 1,
                 "max_steps": None, "trial_name": None}
        folder = os.path.join(self.out, f"checkpoint-{step}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "trainer_state.json"), "w") as f:
            f.write(json.dumps(state, indent=2, sort_keys=True) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--run", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--format", choices=["verl", "tensorboard", "trl"], default="verl")
    ap.add_argument("--name", default="tinyseek_run", help="verl: the JSONL's name")
    ap.add_argument("--save-every", type=int, default=100, help="trl: steps between checkpoints")
    ap.add_argument("--steps-per-second", type=float, default=0.0)
    args = ap.parse_args()
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    os.makedirs(args.out, exist_ok=True)
    if args.format == "verl":
        writer = VerlWriter(args.out, args.name)
    elif args.format == "tensorboard":
        writer = TensorBoardWriter(args.out, time.time())
    else:
        writer = TrlWriter(args.out, args.save_every)
    steps = steps_of(db, args.run)
    for step, wall_time in steps:
        writer.step(db, args.run, step, wall_time, metrics_of(db, args.run, step))
        if args.steps_per_second > 0:
            time.sleep(1.0 / args.steps_per_second)
    if args.format == "trl" and steps and steps[-1][0] % args.save_every:
        writer.save(steps[-1][0])  # the end of training saves too


if __name__ == "__main__":
    main()
