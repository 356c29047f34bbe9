#!/usr/bin/env python3
"""Exports the ONNX fixtures that OnnxImportFixtureTest reads, with PyTorch's own exporter.

Each model is built in PyTorch with a fixed seed, exported with torch.onnx.export (dynamic batch
and time axes, batch-first input [batch, time, features]) to
java/src/test/resources/fixtures/onnx/NAME.onnx, and its input and PyTorch's output are written
beside it as NAME.json: {"opset", "input": {"shape", "data"}, "output": {"shape", "data"}}. The
expected output is computed in float64 from the float32 weights and input, so it does not depend
on PyTorch's float32 kernels. The models are the chapter's, PyTorch style:

  lstm        LSTM(1, 20, num_layers=2) -> Linear(20, 10) at every step   (opset 14)
  gru         GRU(1, 20) -> GRU(20, 20) -> Linear(20, 10) at every step   (opset 14)
  rnn         RNN(1, 20) -> RNN(20, 20) -> Linear(20, 1) on the last step (opset 11)
  conv_gru    Conv1d(1, 20, 4, stride 2) -> GRU(20, 20) x2 -> Linear      (opset 17)
  wavenet     [left pad, Conv1d(k 2, dilation 1..8), ReLU] x 8 -> Conv1d(10, 1)  (opset 14)
  bilstm      LSTM(1, 8, bidirectional) -> Linear(16, 1) at every step     (opset 14)
  trained_lstm  LSTM(1, 20) -> Linear(20, 1) on the last step, trained 60 Adam steps on noisy
              sine windows                                                 (opset 13)

Run from the repository root (needs only PyTorch; the onnx package is not required):

    /usr/bin/python3 tools/onnx/export_torch_fixtures.py
"""
import json
import math
import os

import numpy as np
import torch
from torch import nn

OUT = os.path.join("java", "src", "test", "resources", "fixtures", "onnx")


class LastStep(nn.Module):
    """A recurrent stack whose dense head reads the last step only (Keras' return_sequences off)."""

    def __init__(self, *rnns, head):
        super().__init__()
        self.rnns = nn.ModuleList(rnns)
        self.head = head

    def forward(self, x):
        for rnn in self.rnns:
            x, _ = rnn(x)
        return self.head(x[:, -1])


class EveryStep(nn.Module):
    """A recurrent stack with a dense head at every step (Keras' TimeDistributed(Dense))."""

    def __init__(self, *rnns, head, conv=None):
        super().__init__()
        self.conv = conv
        self.rnns = nn.ModuleList(rnns)
        self.head = head

    def forward(self, x):
        if self.conv is not None:
            x = self.conv(x.transpose(1, 2)).transpose(1, 2)
        for rnn in self.rnns:
            x, _ = rnn(x)
        return self.head(x)


class WaveNet(nn.Module):
    """The chapter's WaveNet: causal dilated convolutions (padded on the left), then a 1x1 one."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList()
        channels = 1
        for _ in range(2):
            for rate in (1, 2, 4, 8):
                self.convs.append(nn.Conv1d(channels, 20, 2, dilation=rate))
                channels = 20
        self.out = nn.Conv1d(20, 10, 1)

    def forward(self, x):
        x = x.transpose(1, 2)
        for conv in self.convs:
            pad = (conv.kernel_size[0] - 1) * conv.dilation[0]
            x = torch.relu(conv(nn.functional.pad(x, (pad, 0))))
        return self.out(x).transpose(1, 2)


def models():
    torch.manual_seed(1)
    yield "lstm", 14, EveryStep(nn.LSTM(1, 20, num_layers=2, batch_first=True), head=nn.Linear(20, 10))
    torch.manual_seed(2)
    yield "gru", 14, EveryStep(
        nn.GRU(1, 20, batch_first=True), nn.GRU(20, 20, batch_first=True), head=nn.Linear(20, 10))
    torch.manual_seed(3)
    yield "rnn", 11, LastStep(
        nn.RNN(1, 20, batch_first=True), nn.RNN(20, 20, batch_first=True), head=nn.Linear(20, 1))
    torch.manual_seed(4)
    yield "conv_gru", 17, EveryStep(
        nn.GRU(20, 20, batch_first=True), nn.GRU(20, 20, batch_first=True),
        head=nn.Linear(20, 10), conv=nn.Conv1d(1, 20, 4, stride=2))
    torch.manual_seed(5)
    yield "wavenet", 14, WaveNet()
    torch.manual_seed(6)
    yield "bilstm", 14, EveryStep(nn.LSTM(1, 8, batch_first=True, bidirectional=True), head=nn.Linear(16, 1))
    torch.manual_seed(7)
    yield "trained_lstm", 13, trained(LastStep(nn.LSTM(1, 20, batch_first=True), head=nn.Linear(20, 1)))


def trained(model):
    """Fits the model a little on noisy sine windows, so the fixture holds non-random weights."""
    gen = torch.Generator().manual_seed(70)
    t = torch.arange(51, dtype=torch.float32)
    freq = torch.rand(256, 1, generator=gen) * 0.5 + 0.1
    phase = torch.rand(256, 1, generator=gen) * 2 * math.pi
    series = torch.sin(t * freq + phase) * 0.5 + 0.05 * torch.randn(256, 51, generator=gen)
    x, y = series[:, :50, None], series[:, 50:]
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(60):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    return model


def tensor_json(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).numpy()]}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, opset, model in models():
        model.eval()
        gen = torch.Generator().manual_seed(100)
        x = torch.randn(3, 13, 1, generator=gen)
        path = os.path.join(OUT, name + ".onnx")
        sequences = not isinstance(model, LastStep)
        torch.onnx.export(
            model, x, path, opset_version=opset, input_names=["input"], output_names=["output"],
            dynamic_axes={"input": {0: "batch", 1: "time"},
                          "output": {0: "batch", 1: "output_time"} if sequences else {0: "batch"}})
        with torch.no_grad():
            expected = model.double()(x.double())
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump({"opset": opset, "input": tensor_json(x), "output": tensor_json(expected)}, f)
            f.write("\n")
        print(f"{path}: {os.path.getsize(path)} bytes, output {list(expected.shape)}")


if __name__ == "__main__":
    main()
