#!/usr/bin/env python3
"""Writes the verl and TRL fixtures of tests/imports with the calls the writers make (Python's
json module), so NaN, key order and separators are theirs:

- verl/run/gsm8k_grpo.jsonl: verl v0.6's FileLogger (verl/utils/tracking.py):
  json.dumps({"step": step, "data": data}) + "\\n", one line per step, a step-0 line for the
  validation before training; the last line as verl main's orjson writer puts it (compact,
  NaN as null).
- verl/run/rollouts/<step>.jsonl and verl/run/validation/0.jsonl: RayPPOTrainer._dump_generations
  (verl/trainer/ppo/ray_trainer.py): json.dumps(entry, ensure_ascii=False) per sample with keys
  input, output, gts, score, step and the reward function's extras, lines joined by "\\n" plus
  a final "\\n"; each prompt repeated n = 2 times in a row.
- trl/output/checkpoint-{2,4}/trainer_state.json: transformers' TrainerState.save_to_json,
  json.dumps(asdict(state), indent=2, sort_keys=True) + "\\n", with GRPOTrainer v0.23 keys.
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def verl():
    lines = [{"step": 0, "data": {"val-core/openai/gsm8k/reward/mean@1": 0.25}}]
    for step in range(1, 5):
        lines.append({"step": step, "data": {
            "actor/entropy": 1.0 - 0.1 * step,
            "actor/pg_loss": math.nan if step == 2 else -0.01 * step,
            "actor/pg_clipfrac": 0.002,
            "actor/ppo_kl": 0.0001,
            "actor/grad_norm": 0.2,
            "actor/lr": 1e-06,
            "critic/score/mean": 0.25 * step,
            "response_length/mean": 200.0 + step,
            "timing_s/step": 50.0 + step,
            "training/global_step": step,
            "training/epoch": 0,
        }})
    with open(os.path.join(HERE, "verl/run/gsm8k_grpo.jsonl"), "w") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
        # verl main (orjson): compact separators, NaN written as null.
        f.write('{"step":5,"data":{"actor/entropy":0.5,"actor/pg_loss":null,"critic/score/mean":1.0,'
                '"timing_s/step":55.0}}\n')
    for step in (1, 2):
        entries = []
        for prompt in ("What is 2+3?", "What is 4*5?"):
            for member in range(2):
                right = member == 0 or step == 2
                entries.append({"input": f"user\n{prompt}\nassistant\n",
                                "output": f"... #### {'5' if '2+3' in prompt else '20'}" if right else "... #### 7",
                                "gts": "5" if "2+3" in prompt else "20",
                                "score": 1.0 if right else 0.0, "step": step, "acc": right})
        write_dump(f"verl/run/rollouts/{step}.jsonl", entries)
    write_dump("verl/run/validation/0.jsonl",
               [{"input": "user\nWhat is 3^4?\nassistant\n", "output": "\\boxed{81}", "gts": "81",
                 "score": 1.0, "step": 0, "reward": 1.0, "acc": True, "pred": "81"}])


def write_dump(rel, entries):
    with open(os.path.join(HERE, rel), "w") as f:
        f.write("\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n")


def trl_entry(step):
    return {"clip_ratio/high_max": 0.0, "clip_ratio/high_mean": 0.0, "clip_ratio/low_mean": 0.0,
            "clip_ratio/low_min": 0.0, "clip_ratio/region_mean": 0.01 * step,
            "completions/mean_length": 100.0 + step, "epoch": 0.25 * step,
            "frac_reward_zero_std": 0.5, "grad_norm": 0.4, "kl": 0.001 * step,
            "learning_rate": 1e-05, "loss": -0.007, "num_tokens": 3000.0 * step,
            "reward": 0.1 * step, "reward_std": 0.3, "rewards/accuracy_reward/mean": 0.1 * step,
            "rewards/accuracy_reward/std": 0.3, "step": step, "step_time": 2.0}


def trl():
    for upto in (2, 4):
        history = [trl_entry(s) for s in range(1, upto + 1)]
        if upto == 4:
            history.insert(2, {"epoch": 0.5, "eval_loss": 1.2, "eval_reward": 0.2, "eval_runtime": 0.8,
                               "eval_samples_per_second": 2.5, "eval_steps_per_second": 1.25, "step": 2})
            history[3]["reward_std"] = math.nan  # all-NaN reward std: NaN as a bare word
        state = {"best_global_step": None, "best_metric": None, "best_model_checkpoint": None,
                 "epoch": 0.25 * upto, "eval_steps": 2, "global_step": upto,
                 "is_hyper_param_search": False, "is_local_process_zero": True,
                 "is_world_process_zero": True, "log_history": history, "logging_steps": 1,
                 "max_steps": 4, "num_input_tokens_seen": 3000 * upto, "num_train_epochs": 1,
                 "save_steps": 2, "total_flos": 0.0, "train_batch_size": 8, "trial_name": None,
                 "trial_params": None}
        os.makedirs(os.path.join(HERE, f"trl/output/checkpoint-{upto}"), exist_ok=True)
        with open(os.path.join(HERE, f"trl/output/checkpoint-{upto}/trainer_state.json"), "w") as f:
            f.write(json.dumps(state, indent=2, sort_keys=True) + "\n")


verl()
trl()
