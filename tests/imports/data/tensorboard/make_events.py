#!/usr/bin/env python3
"""Writes run/events.out.tfevents.1733400000.host.1234.0, the TensorBoard fixture of
tests/imports: each Event below is encoded by protoc from TensorBoard's own message definitions
(tensorflow/tensorboard @ 70b76c922, tensorboard/compat/proto/event.proto, summary.proto,
tensor.proto) and framed as TFRecord (tensorboard/summary/writer/record_writer.py): uint64
length, masked CRC-32C of the length, the Event, masked CRC-32C of the Event. The events imitate
the writers: torch.utils.tensorboard's add_scalar (simple_value) and add_text (a DT_STRING
tensor with the "text" plugin, tag suffix /text_summary), TF2's tf.summary.scalar (a float
tensor in tensor_content with the "scalars" plugin) and a histogram (not imported).

Usage: make_events.py PROTO_ROOT   (a checkout of tensorflow/tensorboard; needs protoc)
"""
import struct
import subprocess
import sys

PROTO_ROOT = sys.argv[1]
T0 = 1733400000.0


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked(data: bytes) -> int:
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def encode(text: str) -> bytes:
    return subprocess.run(
        ["protoc", "-I", PROTO_ROOT, "--encode=tensorboard.Event",
         "tensorboard/compat/proto/event.proto"],
        input=text.encode(), capture_output=True, check=True).stdout


def record(data: bytes) -> bytes:
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked(length)) + data + struct.pack("<I", masked(data))


def scalar(step, tag, value):  # add_scalar: simple_value
    return f'wall_time: {T0 + 10 * step} step: {step} summary {{ value {{ tag: "{tag}" simple_value: {value} }} }}'


def tf2_scalar(step, tag, value):  # tf.summary.scalar: float32 in tensor_content
    raw = "".join(f"\\{b:03o}" for b in struct.pack("<f", value))
    return (f'wall_time: {T0 + 10 * step} step: {step} summary {{ value {{ tag: "{tag}" '
            f'metadata {{ plugin_data {{ plugin_name: "scalars" }} }} '
            f'tensor {{ dtype: DT_FLOAT tensor_shape {{ }} tensor_content: "{raw}" }} }} }}')


def text(step, tag, body):  # add_text
    return (f'wall_time: {T0 + 10 * step + 1} step: {step} summary {{ value {{ tag: "{tag}/text_summary" '
            f'metadata {{ plugin_data {{ plugin_name: "text" }} }} '
            f'tensor {{ dtype: DT_STRING tensor_shape {{ dim {{ size: 1 }} }} string_val: "{body}" }} }} }}')


events = [f'wall_time: {T0} file_version: "brain.Event:2"']
for step in range(1, 6):
    events.append(scalar(step, "train/loss", 1.0 / step))
    events.append(scalar(step, "train/reward", 0.2 * step))
    events.append(tf2_scalar(step, "train/entropy", 0.5))
events.append(f'wall_time: {T0 + 51} step: 5 summary {{ value {{ tag: "train/kl" '
              f'tensor {{ dtype: DT_DOUBLE tensor_shape {{ }} double_val: 0.25 }} }} }}')
events.append(f'wall_time: {T0 + 52} step: 5 summary {{ value {{ tag: "train/half" '
              f'tensor {{ dtype: DT_HALF tensor_shape {{ }} half_val: 15360 }} }} }}')
events.append(text(5, "val/generations", "What is 2+3? <answer>5</answer>"))
events.append(f'wall_time: {T0 + 53} step: 5 summary {{ value {{ tag: "weights" '
              f'histo {{ min: 0 max: 1 num: 2 sum: 1 bucket_limit: 1 bucket: 2 }} }} }}')

with open("run/events.out.tfevents.1733400000.host.1234.0", "wb") as out:
    for e in events:
        out.write(record(encode(e)))
