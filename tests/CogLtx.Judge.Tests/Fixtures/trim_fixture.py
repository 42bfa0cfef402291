#!/usr/bin/env python3
"""Copies a model folder of ../shared/fixtures/models and keeps only the named tensors of its expected.safetensors.

Usage: trim_fixture.py SRC_MODEL_DIR DST_DIR KEY [KEY ...]
Pure standard library: a safetensors file is an 8-byte little-endian header length, a JSON header
(name -> dtype, shape, data_offsets) and the raw data; the kept tensors are rewritten with new offsets,
the __metadata__ entry is kept.
"""
import json, shutil, struct, sys, os

src, dst, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(dst, exist_ok=True)
for name in ("config.json", "model.safetensors"):
    shutil.copyfile(os.path.join(src, name), os.path.join(dst, name))
with open(os.path.join(src, "expected.safetensors"), "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
    data = f.read()
out_header, chunks, offset = {"__metadata__": header["__metadata__"]}, [], 0
for key in sorted(keys):
    entry = header[key]
    begin, end = entry["data_offsets"]
    chunks.append(data[begin:end])
    out_header[key] = {"dtype": entry["dtype"], "shape": entry["shape"], "data_offsets": [offset, offset + end - begin]}
    offset += end - begin
blob = json.dumps(out_header, sort_keys=True, separators=(",", ":")).encode()
blob += b" " * ((8 - len(blob) % 8) % 8)
with open(os.path.join(dst, "expected.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(blob)) + blob + b"".join(chunks))
