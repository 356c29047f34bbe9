#!/usr/bin/env python3
"""PyTorch peer of RecurrentBenchmark: the chapter's recurrent and linear models in PyTorch.

simple, lstm, gru: two recurrent layers of 20 units (return sequences) then a Linear(20, 10)
at every step, as in the book's rows 10, 12 and 13. linear-1, linear: rows 2 and 8 (Flatten ->
Linear(50, 1 or 10)).
simple-rnn: row 3, one RNN(1). stacked-rnn: row 4, RNN(20) x2 -> RNN(1). deep-rnn, deep-rnn-10:
rows 5 and 9, RNN(20) x2 -> Linear(20, 1 or 10) on the last step. ln-rnn: row 11, the book's
layer-normalized SimpleRNN cell (tanh(LayerNorm(x W + h U + b))) x2, looped over the steps in
Python, then a Linear(20, 10) at every step. Times one training step (forward, MSE, backward,
Adam) on a batch of 32 series of 50 steps, and single-series inference (batch 1, 50 steps);
prints the median in microseconds. Runs on CPU here, and with --device cuda on a GPU host.
"""
import argparse

import torch

from peer_timing import float32_only, median_us, set_threads, training_step


class Linear(torch.nn.Module):
    """Rows 2 and 8: the window flattened into one Linear(50, horizon), forecasting the next 1 or
    10 values."""

    def __init__(self, steps=50, horizon=10):
        super().__init__()
        self.dense = torch.nn.Linear(steps, horizon)

    def forward(self, x):
        return self.dense(x.flatten(1))


class SeqToSeq(torch.nn.Module):
    def __init__(self, kind):
        super().__init__()
        cls = {"simple": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
        self.rnn = cls(input_size=1, hidden_size=20, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(20, 10)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out)


class LastStep(torch.nn.Module):
    """Rows 3, 4, 5 and 9: tanh RNN layers, the last layer's output at the last step, then an
    optional Linear head. Target [batch, horizon]."""

    def __init__(self, layers, head=None):
        super().__init__()
        self.layers = torch.nn.ModuleList(layers)
        self.head = head

    def forward(self, x):
        for rnn in self.layers:
            x, _ = rnn(x)
        last = x[:, -1, :]
        return last if self.head is None else self.head(last)


def rnn(inputs, units, layers=1):
    return torch.nn.RNN(input_size=inputs, hidden_size=units, num_layers=layers, batch_first=True)


class LayerNormRNN(torch.nn.Module):
    """One layer of the book's LNSimpleRNNCell: h = tanh(LayerNorm(x W + h U + b)), ε 1e-3 as
    Keras, the state being that output; returns every step. x W is one product for the whole
    sequence (it does not depend on h); the rest is a Python loop over the steps."""

    def __init__(self, inputs, units):
        super().__init__()
        self.units = units
        self.input = torch.nn.Linear(inputs, units)
        self.recurrent = torch.nn.Linear(units, units, bias=False)
        self.norm = torch.nn.LayerNorm(units, eps=1e-3)

    def forward(self, x):
        xw = self.input(x)
        h = x.new_zeros(x.shape[0], self.units)
        outputs = []
        for t in range(x.shape[1]):
            h = torch.tanh(self.norm(xw[:, t] + self.recurrent(h)))
            outputs.append(h)
        return torch.stack(outputs, dim=1)


class LayerNormSeqToSeq(torch.nn.Module):
    """Row 11: LN-SimpleRNN(20) x2 (return sequences) then a Linear(20, 10) at every step."""

    def __init__(self):
        super().__init__()
        self.layers = torch.nn.Sequential(LayerNormRNN(1, 20), LayerNormRNN(20, 20))
        self.head = torch.nn.Linear(20, 10)

    def forward(self, x):
        return self.head(self.layers(x))


# name -> (a fresh model, the target's shape after the batch): [horizon] for models that forecast
# from the last step, [steps, horizon] for those that forecast after every step.
MODELS = {
    "simple": (lambda: SeqToSeq("simple"), (50, 10)),
    "lstm": (lambda: SeqToSeq("lstm"), (50, 10)),
    "gru": (lambda: SeqToSeq("gru"), (50, 10)),
    "linear-1": (lambda: Linear(horizon=1), (1,)),
    "linear": (Linear, (10,)),
    "simple-rnn": (lambda: LastStep([rnn(1, 1)]), (1,)),
    "stacked-rnn": (lambda: LastStep([rnn(1, 20, layers=2), rnn(20, 1)]), (1,)),
    "deep-rnn": (lambda: LastStep([rnn(1, 20, layers=2)], torch.nn.Linear(20, 1)), (1,)),
    "deep-rnn-10": (lambda: LastStep([rnn(1, 20, layers=2)], torch.nn.Linear(20, 10)), (10,)),
    "ln-rnn": (LayerNormSeqToSeq, (50, 10)),
}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    p.add_argument("--models", default="simple,lstm,gru", help="any of " + ",".join(MODELS))
    p.add_argument("--min-time", type=float, default=1.0)
    args = p.parse_args()
    kinds = args.models.split(",")
    unknown = [k for k in kinds if k not in MODELS]
    if unknown:
        p.error(f"unknown model(s) {','.join(unknown)}; choose from {','.join(MODELS)}")
    if args.threads:
        set_threads(args.threads)
    float32_only()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, device {args.device}, threads {torch.get_num_threads()}")
    print("model       | train step us (batch 32 x 50) | inference us (batch 1 x 50)")
    for kind in kinds:
        build, y_shape = MODELS[kind]
        net = build().to(args.device)
        x = torch.rand(32, 50, 1, device=args.device) - 0.5
        y = torch.rand(32, *y_shape, device=args.device) - 0.5
        one = torch.rand(1, 50, 1, device=args.device) - 0.5

        train = training_step(net, x, y)

        def infer():
            with torch.no_grad():
                return net(one).cpu()

        train_us = median_us(train, args.device, warmup=5, min_time=args.min_time)
        infer_us = median_us(infer, args.device, warmup=5, min_time=args.min_time)
        print(f"{kind:11} | {train_us:29.1f} | {infer_us:27.1f}")


if __name__ == "__main__":
    main()
