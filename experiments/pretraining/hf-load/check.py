"""Does Hugging Face load what `cogltx pretrain` wrote, and compute what CogLtx computes?

    python3 check.py prepare MODEL_DIR WORK_DIR   # transformers: load, report keys, run, write inputs and outputs
    cogltx encode --model MODEL_DIR --input WORK_DIR/inputs.safetensors --output WORK_DIR/ours.safetensors --strict
    cogltx encode --model MODEL_DIR --input WORK_DIR/inputs.safetensors --output WORK_DIR/ours-base.safetensors --base-only
    python3 check.py compare WORK_DIR             # max |HF - ours| per output, and the masked-token predictions

Needs torch, transformers and safetensors (run.sh runs it in the torch-peer chroot of ../shared/tools/torch-peer).
"""
import json
import sys

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForMaskedLM, AutoTokenizer

TEXTS = [
    "The graphics card driver crashes whenever the window manager starts.",
    "He argued that the second amendment protects an individual right to bear arms.",
    "NASA announced that the shuttle launch was delayed by a faulty sensor.",
    "Does anyone know a good dealer for used motorcycles in the Boston area?",
]


def prepare(model_dir, work):
    tok = AutoTokenizer.from_pretrained(model_dir)
    model, info = AutoModelForMaskedLM.from_pretrained(model_dir, output_loading_info=True)
    model.eval()
    enc = tok(TEXTS, padding=True, return_tensors="pt")
    ids = enc["input_ids"].clone()
    # Mask the token at position 4 of each text (a word piece, never [CLS]/[SEP]/[PAD]).
    masked = [4] * len(TEXTS)
    gold = [int(ids[i, p]) for i, p in enumerate(masked)]
    for i, p in enumerate(masked):
        ids[i, p] = tok.mask_token_id
    with torch.inference_mode():
        out = model(input_ids=ids, attention_mask=enc["attention_mask"], output_hidden_states=True)
    save_file({"input_ids": ids.to(torch.int64).contiguous(), "attention_mask": enc["attention_mask"].to(torch.int64).contiguous()},
              f"{work}/inputs.safetensors")
    save_file({"logits": out.logits.contiguous(), "last_hidden_state": out.hidden_states[-1].contiguous()}, f"{work}/hf.safetensors")
    report = {
        "model_class": type(model).__name__,
        "missing_keys": sorted(info["missing_keys"]),
        "unexpected_keys": sorted(info["unexpected_keys"]),
        "mismatched_keys": [list(map(str, k)) for k in info["mismatched_keys"]],
        "masked_positions": masked,
        "gold_tokens": tok.convert_ids_to_tokens(gold),
        "gold_ids": gold,
    }
    json.dump(report, open(f"{work}/loading.json", "w"), indent=2)
    print(json.dumps(report, indent=2))


def compare(work):
    hf = load_file(f"{work}/hf.safetensors")
    ours = load_file(f"{work}/ours.safetensors") | load_file(f"{work}/ours-base.safetensors")
    report = json.load(open(f"{work}/loading.json"))
    mask = load_file(f"{work}/inputs.safetensors")["attention_mask"].bool()
    result = {}
    for key in ("last_hidden_state", "logits"):
        if key not in ours:
            result[key] = "missing from ours: " + ", ".join(sorted(ours))
            continue
        diff = (hf[key] - ours[key]).abs()[mask]  # real tokens only: padded positions are not defined alike
        result[key] = {"shape": list(hf[key].shape), "max_abs_diff": float(diff.max())}
    top_hf = [int(hf["logits"][i, p].argmax()) for i, p in enumerate(report["masked_positions"])]
    top_ours = [int(ours["logits"][i, p].argmax()) for i, p in enumerate(report["masked_positions"])] if "logits" in ours else []
    result["top1_hf"] = top_hf
    result["top1_ours"] = top_ours
    result["top1_equal"] = top_hf == top_ours
    result["top1_correct"] = sum(a == b for a, b in zip(top_hf, report["gold_ids"]))
    json.dump(result, open(f"{work}/compare.json", "w"), indent=2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"] and len(sys.argv) == 4:
        prepare(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["compare"] and len(sys.argv) == 3:
        compare(sys.argv[2])
    else:
        sys.exit(__doc__)
