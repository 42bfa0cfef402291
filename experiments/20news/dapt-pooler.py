"""The control of the DAPT comparison: the DAPT'd MiniLM with MiniLM's own pooler put back.

    python3 dapt-pooler.py DAPT/model.safetensors MINILM/model.safetensors OUT/model.safetensors

`cogltx pretrain` writes a BertForMaskedLM, which has no pooler (as in transformers), so a classifier fine-tuned from
it starts with a fresh pooler while one fine-tuned from MiniLM starts with MiniLM's. This copies MiniLM's
`pooler.dense.*` in as `bert.pooler.dense.*`, so the two starts differ only in what masked-LM training changed.
Needs torch and safetensors (run here in the torch-peer chroot).
"""
import sys

from safetensors.torch import load_file, save_file

dapt, minilm, out = sys.argv[1:4]
weights = load_file(dapt)
base = load_file(minilm)
assert not any("pooler" in k for k in weights), "the DAPT checkpoint already has a pooler"
for name in ("pooler.dense.weight", "pooler.dense.bias"):
    weights["bert." + name] = base[name].contiguous()
save_file(weights, out, metadata={"format": "pt"})
print(f"{out}: {len(weights)} tensors, pooler from {minilm}")
