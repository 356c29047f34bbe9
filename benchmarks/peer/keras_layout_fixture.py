#!/usr/bin/env python3
"""Writes the PyTorch fixture for Timestep's Keras weight layouts (docs/WEIGHTS.md).

Builds three small models in PyTorch with fixed seeds, converts their weights to the layouts Keras
(and Timestep's getWeights/setWeights) use, and writes the inputs, those Keras-layout arrays and
PyTorch's outputs to java/src/test/resources/fixtures/keras-layout.json, which
KerasLayoutFixtureTest loads: it sets the weights on the same models in Timestep, predicts and
compares. The models, batch-first [batch, time, features]:

  lstm     LSTM(4, return_sequences) -> Dense(2) at every step
  rnn-gru  SimpleRNN(4, return_sequences) -> GRU(3) -> Dense(1)
  conv1d   Conv1D(4, 3, causal, dilation 2, relu) -> Conv1D(2, 2, stride 2, valid)

Conversions (PyTorch -> Keras):
  Linear weight [out, in]                  -> Dense kernel [in, out] (transposed); bias as is
  RNN/LSTM weight_ih [G*H, F], weight_hh   -> kernel [F, G*H], recurrent_kernel [H, G*H]
                                              (transposed; LSTM gate blocks i, f, g, o in both)
  RNN/LSTM bias_ih + bias_hh               -> bias [G*H] (Keras has one bias; the sum is exact
                                              in the forward pass)
  GRU blocks r, z, n                       -> blocks z, r, h (reordered, then transposed)
  GRU bias_ih, bias_hh (r, z, n)           -> bias [2, 3H]: row 0 input bias, row 1 recurrent
                                              bias, each reordered to z, r, h (reset_after)
  Conv1d weight [out, in, k]               -> kernel [k, in, out]

Weights and inputs are drawn in float32; the expected outputs are computed in float64 from those
float32 values, so they do not depend on PyTorch's float32 kernels or BLAS. Run from the
repository root:

    python3 benchmarks/peer/keras_layout_fixture.py
"""
import json
import os
import re

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join("java", "src", "test", "resources", "fixtures", "keras-layout.json")


def f32(t):
    """A flat tensor's float32 values, each the shortest decimal that reads back as that float32."""
    return [float(str(np.float32(v))) for v in t.detach().to(torch.float32).numpy()]


def f64(t):
    """A flat tensor's values as float64 (Python's shortest round-trip form)."""
    return [float(v) for v in t.detach().to(torch.float64).numpy()]


def gru_blocks(w, h):
    """PyTorch's GRU gate blocks r, z, n (along axis 0) reordered to Keras' z, r, h."""
    r, z, n = w[:h], w[h:2 * h], w[2 * h:]
    return torch.cat([z, r, n], dim=0)


def lstm_model(x):
    torch.manual_seed(11)
    lstm = torch.nn.LSTM(3, 4, batch_first=True)
    dense = torch.nn.Linear(4, 2)
    _perturb(lstm, dense)
    weights = [
        lstm.weight_ih_l0.T, lstm.weight_hh_l0.T, lstm.bias_ih_l0 + lstm.bias_hh_l0,
        dense.weight.T, dense.bias,
    ]
    lstm64, dense64 = lstm.double(), dense.double()
    out, _ = lstm64(x.double())
    return weights, dense64(out)


def rnn_gru_model(x):
    torch.manual_seed(12)
    rnn = torch.nn.RNN(3, 4, batch_first=True)
    gru = torch.nn.GRU(4, 3, batch_first=True)
    dense = torch.nn.Linear(3, 1)
    _perturb(rnn, gru, dense)
    h = 3
    weights = [
        rnn.weight_ih_l0.T, rnn.weight_hh_l0.T, rnn.bias_ih_l0 + rnn.bias_hh_l0,
        gru_blocks(gru.weight_ih_l0, h).T, gru_blocks(gru.weight_hh_l0, h).T,
        torch.stack([gru_blocks(gru.bias_ih_l0, h), gru_blocks(gru.bias_hh_l0, h)]),
        dense.weight.T, dense.bias,
    ]
    rnn64, gru64, dense64 = rnn.double(), gru.double(), dense.double()
    seq, _ = rnn64(x.double())
    _, last = gru64(seq)
    return weights, dense64(last[0])


def conv_model(x):
    torch.manual_seed(13)
    c1 = torch.nn.Conv1d(3, 4, 3, dilation=2)
    c2 = torch.nn.Conv1d(4, 2, 2, stride=2)
    _perturb(c1, c2)
    weights = [c1.weight.permute(2, 1, 0), c1.bias, c2.weight.permute(2, 1, 0), c2.bias]
    c1, c2 = c1.double(), c2.double()
    h = x.double().transpose(1, 2)
    h = F.relu(c1(F.pad(h, (2 * 2, 0))))  # causal: (k - 1) * dilation zeros on the left
    return weights, c2(h).transpose(1, 2)


def _perturb(*modules):
    """Spreads every weight wider than PyTorch's init (biases included), so a block put in the
    wrong place changes the output clearly."""
    with torch.no_grad():
        for m in modules:
            for p in m.parameters():
                p.uniform_(-0.8, 0.8)


def blas():
    m = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return m.group(1) if m else "unknown"


def main():
    torch.manual_seed(10)
    x = torch.rand(2, 6, 3) * 2 - 1
    models = []
    for name, layers, build in [
        ("lstm", "LSTM(4, return_sequences) -> Dense(2)", lstm_model),
        ("rnn-gru", "SimpleRNN(4, return_sequences) -> GRU(3) -> Dense(1)", rnn_gru_model),
        ("conv1d", "Conv1D(4, 3, causal, dilation 2, relu) -> Conv1D(2, 2, stride 2)", conv_model),
    ]:
        weights, expected = build(x)
        models.append({
            "name": name,
            "layers": layers,
            "weights": [{"shape": list(w.shape), "values": f32(w.reshape(-1))} for w in weights],
            "expected": {"shape": list(expected.shape), "values": f64(expected.reshape(-1))},
        })
    fixture = {
        "producedBy": "benchmarks/peer/keras_layout_fixture.py",
        "torch": torch.__version__,
        "blas": blas(),
        "note": "weights and inputs float32; expected outputs computed in float64 from them",
        "input": {"shape": list(x.shape), "values": f32(x.reshape(-1))},
        "models": models,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    text = json.dumps(fixture, indent=1)
    # One line per array of numbers, so the file stays short and diffs stay readable.
    text = re.sub(r"\[\s*([-0-9.e,\s]+?)\s*\]",
                  lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]", text)
    with open(OUT, "w") as f:
        f.write(text + "\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
