#!/usr/bin/env python3
"""Activation ranges for the int8 products of all-MiniLM-L6-v2 (crates/embed/src/int8.rs).

Runs the pinned model.onnx as written (float products) over sentences, records the smallest
and largest value of every activation that feeds a product of an int8 weight (real tokens
only, padding left out), and writes `int8_ranges.tsv` beside this folder: one line per
activation, `tensor<TAB>min<TAB>max`, after a header.

Usage (development machine only; needs `pip install onnxruntime==1.32.0 tokenizers numpy onnx`):

    python3 crates/embed/data/tools/calibrate_int8.py MODELS_DIR SENTENCE_FILE... > crates/embed/data/int8_ranges.tsv

SENTENCE_FILE: Microsoft Research Paraphrase Corpus files (`msr_paraphrase_*.txt`, both
sentences of every pair are used) or plain text with one sentence per line.
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort
import tokenizers
from onnx import helper


def sentences(paths):
    out = []
    for p in paths:
        with open(p, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
        if lines and lines[0].startswith("Quality\t"):
            for line in lines[1:]:
                cols = line.split("\t")
                if len(cols) >= 5:
                    out += [cols[3], cols[4]]
        else:
            out += [line for line in lines if line.strip()]
    return out


def product_inputs(model):
    """Inputs of MatMul(x, Mul(Cast(W_int8), scale)) with W of at most as many rows as columns
    (the products int8.rs rewrites)."""
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    prod = {o: n for n in g.node for o in n.output}
    xs = set()
    for n in g.node:
        if n.op_type != "MatMul" or n.input[1] not in prod:
            continue
        mul = prod[n.input[1]]
        if mul.op_type != "Mul":
            continue
        for c in mul.input:
            cast = prod.get(c)
            if cast is None or cast.op_type != "Cast":
                continue
            w = inits.get(cast.input[0])
            if w is not None and w.data_type == onnx.TensorProto.INT8 and len(w.dims) == 2:
                if w.dims[0] <= w.dims[1]:
                    xs.add(n.input[0])
    return sorted(xs)


def main():
    models, files = sys.argv[1], sys.argv[2:]
    model = onnx.load(f"{models}/model.onnx")
    xs = product_inputs(model)
    for x in xs:
        model.graph.output.append(helper.make_tensor_value_info(x, onnx.TensorProto.FLOAT, None))
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    tok = tokenizers.Tokenizer.from_file(f"{models}/tokenizer.json")
    tok.no_padding()
    texts = sentences(files)
    seqs = sorted((tok.encode(t).ids for t in texts), key=len)
    lo = {x: 0.0 for x in xs}
    hi = {x: 0.0 for x in xs}
    for k in range(0, len(seqs), 16):
        chunk = seqs[k : k + 16]
        n = max(len(s) for s in chunk)
        ids = np.zeros((len(chunk), n), np.int64)
        mask = np.zeros((len(chunk), n), np.int64)
        for r, s in enumerate(chunk):
            ids[r, : len(s)] = s
            mask[r, : len(s)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        for x, v in zip(xs, session.run(xs, feeds)):
            v = v[mask.astype(bool)]
            lo[x] = min(lo[x], float(v.min()))
            hi[x] = max(hi[x], float(v.max()))
    print("# Activation ranges of all-MiniLM-L6-v2 (model.onnx sha256")
    print("# 8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6) for its int8 products.")
    print("# Purpose: the fixed 8-bit scale of each activation that int8.rs multiplies with an int8")
    print("#   weight (fixed, so a sentence's vector does not depend on the batch it is run in).")
    print(f"# Source: crates/embed/data/tools/calibrate_int8.py over {len(texts)} development sentences")
    print("#   (MRPC train and dev), float products, real tokens only; min and max of every value.")
    print("# Checked: vectors against the float products (cosine, BENCHMARKS.md) and eval align /")
    print("#   eval paraphrase. Values outside a range are clipped to it.")
    print("# tensor\tmin\tmax")
    for x in xs:
        print(f"{x}\t{lo[x]:.6f}\t{hi[x]:.6f}")


if __name__ == "__main__":
    main()
