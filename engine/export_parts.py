"""The exported script's parts around its training loop, and the lines they are made of.

``Line`` and ``Section`` are what ``engine/export.py`` assembles; ``Parts`` writes the program's header, its
data written out, the activation/cost helpers, the initial weights, the settings and the final print, for the
layout and configuration ``export._Writer`` holds (the writer adds the training step, the loop and the
notebook's walkthrough).  Nothing here trains, and nothing imports Flask.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from . import activations as _act
from .init import LEGACY

LAYOUTS = ("row", "column")
MISTAKE = "# MISTAKE: "
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

@dataclass
class Line:
    """One line of code; ``tags`` name the playback steps it belongs to, e.g. ``"forward:1"``."""

    text: str
    tags: tuple = ()
    mistake: bool = False


@dataclass
class Section:
    title: str
    explanation: str
    lines: list = field(default_factory=list)

    @property
    def code(self):
        return "\n".join(ln.text for ln in self.lines)


def _sup(n):
    return str(n).translate(_SUP)


class Parts:
    """The parts of the program other than the training step (a mixin of ``export._Writer``)."""

    # -- small helpers ---------------------------------------------------
    def penalty_words(self):
        """The regularisation term in words and symbols, e.g. ``L2 penalty λ/2·Σw²``."""
        return {"l2": "L2 penalty λ/2·Σw²", "l1": "L1 penalty λ·Σ|w|"}[self.reg]

    def mm(self, left, right):
        """A product in this layout: row ``left @ right``; column: the same maths transposed."""
        return f"{right} @ {left}" if self.col else f"{left} @ {right}"

    def axis(self):
        """The axis that runs over samples within a batch (row: 0) and over a sample's units (row: 1)."""
        return (1, 0) if self.col else (0, 1)

    def m_expr(self):
        return "A0.shape[1]" if self.col else "len(A0)"

    def prime(self, act):
        return f"{act}_prime"

    def fn(self, act):
        return act if _act.ACTIVATIONS[act].code or act == "softmax" else f"np.{act}"  # np.tanh

    # -- the parts -------------------------------------------------------
    def header(self):
        c, p = self.c, self.setup.preset
        shape = "-".join(map(str, self.sizes))
        batch = {"full": "full batch", "sample": "one sample at a time (per-sample SGD)"}.get(
            c["batch"], f"mini-batches of {c['batch']}")
        if c["shuffle"] and c["batch"] != "full":
            batch += ", shuffled each epoch"
        outer = "" if self.out == self.hidden else f", {self.out} output"
        cost = {"mse": "squared error ½‖a − y‖²", "bce": "binary cross-entropy", "ce": "cross-entropy"}[self.loss]
        lay = ("row layout: one sample per row, Z = A @ W + b" if not self.col else
               "column layout: one sample per column, Z = W @ A + b")
        lr = f"learning rate {c['lr']:g}" + (" / epoch" if self.schedule == "inverse" else "")
        if self.momentum:
            lr += f", momentum {self.momentum:g}"
        if self.reg:
            lr += f", {self.penalty_words()} with λ = {self.reg_rate:g} on the weights (not the biases)"
        about = (f"A {shape} network, {self.hidden}{outer}, {cost} {'averaged' if self.mean else 'summed'} over "
                 f"each batch, {'with' if self.bias else 'no'} biases, {c['init']} initial weights after seed "
                 f"{c['seed']}, {batch}, {lr}, {self.epochs} epochs.")
        text = ['"""' + f"{p['title']}.", "", *textwrap.wrap(about, 100), lay[0].upper() + lay[1:] + ".", ""]
        if self.variant.name != "correct":
            text += [*textwrap.wrap(f"The mistake lab's {self.variant.title!r}: the lines marked MISTAKE are "
                                        "the ones it changes.", 100), ""]
        text += [
            "It needs only NumPy. It prints one JSON line per logged epoch (the loss and mean |y − a| of the outputs",
            "that epoch's forward passes produced), then the final weights and biases in row layout.",
            *(["With regularisation it also prints the penalty at the weights each epoch starts from."]
              if self.reg else []),
            f"Exported from Backprop Playground (preset {p['name']}).",
            '"""',
            "import json",
            "",
            "import numpy as np",
        ]
        return Section("The program", "What this network is, and what the script prints.",
                       [Line(t) for t in text])

    def data(self):
        X, Y, d = self.X, self.Y, self.setup.dataset
        lines = []
        if d.kind == "images":
            lines.append(f"# {X.shape[0]} letters, each a {d.image_shape[0]} × {d.image_shape[1]} image read row "
                         "by row (x.reshape(5, 6) draws it)")
            lines.append("X = np.array([")
            w = d.image_shape[1]
            for k, (row, y) in enumerate(zip(X, Y, strict=True)):
                label = d.labels[list(y).index(max(y))] + (" (drawn on the page)" if k >= len(d.labels) else "")
                px = [str(int(v)) for v in row]
                chunks = [", ".join(px[i:i + w]) for i in range(0, len(px), w)]
                lines.append("    [" + chunks[0] + ",")
                lines += ["     " + ch + "," for ch in chunks[1:-1]]
                lines.append("     " + chunks[-1] + f"],  # {label}")
            lines.append("], dtype=float)")
        elif d.kind == "table":
            lines.append("# the table: the third input is always 1 (it does a bias's job)")
            lines.append("X = np.array([" + ", ".join("[" + ", ".join(str(int(v)) for v in r) + "]" for r in X)
                         + "], dtype=float)")
        else:
            lines.append(f"# {X.shape[0]} points of the '{d.name}' problem (noise {d.params['noise']:g} %, "
                         f"data seed {d.params['data_seed']}), exactly as the playground generated them; "
                         f"inputs: {', '.join(d.features) or 'x1, x2'}")
            lines.append("X = np.array([")
            pts = ["[" + ", ".join(repr(v) for v in row) + "]" for row in X.tolist()]  # one column per input feature
            for i in range(0, len(pts), 3):
                lines.append("    " + ", ".join(pts[i:i + 3]) + ",")
            lines.append("])")
        if Y.shape[1] == 1:
            vals = [str(int(v)) if float(v).is_integer() else repr(float(v)) for v in Y[:, 0]]
            if len(vals) <= 30:
                lines.append("Y = np.array([" + ", ".join(f"[{v}]" for v in vals) + "], dtype=float)")
            else:
                lines.append("Y = np.array([")
                for i in range(0, len(vals), 30):
                    lines.append("    " + ", ".join(vals[i:i + 30]) + ",")
                lines.append("], dtype=float).reshape(-1, 1)  # one target per row")
        else:
            rows = ["[" + ", ".join(str(int(v)) for v in r) + "]" for r in Y]
            if len(rows) <= 12:
                lines.append("Y = np.array([" + ", ".join(rows) + "], dtype=float)  # one-hot targets")
            else:
                lines.append("Y = np.array([  # one-hot targets")
                for i in range(0, len(rows), 10):
                    lines.append("    " + ", ".join(rows[i:i + 10]) + ",")
                lines.append("], dtype=float)")
        if self.col:
            lines.append("X, Y = X.T, Y.T  # column layout: one sample per column")
        return Section("The data", f"{X.shape[0]} samples with {X.shape[1]} inputs and {Y.shape[1]} "
                       f"target{'s' if Y.shape[1] > 1 else ''} each, written out.",
                       [Line(t) for t in lines])

    def helpers(self):
        wrong = self.variant.sigma_prime_on_activation
        out, acts = [], []
        for act in (self.hidden, self.out):
            if act not in acts:
                acts.append(act)
        units = self.axis()[1]
        for act in acts:
            if _act.ACTIVATIONS[act].code:
                out += [f"def {act}(z):", f"    return {_act.ACTIVATIONS[act].code}", "", ""]
            elif act == "softmax":
                out += ["def softmax(z):",
                        f"    e = np.exp(z - z.max(axis={units}, keepdims=True))",
                        f"    return e / e.sum(axis={units}, keepdims=True)", "", ""]
            if act == "softmax":
                continue
            name = self.prime(act)
            right = _act.ACTIVATIONS[act].code_prime
            out.append(f"def {name}(a):")
            if wrong:
                s = _act.ACTIVATIONS[act].code_wrong
                out.append(Line(f"    return {s}  {MISTAKE}a is already σ(z): this is σ′(σ(z)), σ applied twice",
                                mistake=True))
            else:
                out.append(f"    return {right[0]}  # {right[1]}")
            out += ["", ""]
        m = "len(A)" if not self.col else "A.shape[1]"
        per = " / " + m if self.mean else ""
        how = "averaged over" if self.mean else "summed over"
        cost = {"mse": f"0.5 * np.sum((A - Y) ** 2){per}  # C = ½‖a − y‖², {how} the samples",
                "bce": f"-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)){per}  # binary cross-entropy, "
                       f"{how} the samples",
                "ce": f"-np.sum(Y * np.log(A)){per}  # cross-entropy, {how} the samples"}[self.loss]
        if self.loss != "mse" and self.uses_cost_gradient():
            out.append("def cost_gradient(a, y):")
            if self.loss == "bce":
                out += ["    a = np.clip(a, np.finfo(float).tiny, np.nextafter(1.0, 0.0))  # keeps it finite when a "
                        "saturates",
                        "    return (a - y) / (a * (1 - a))  # ∇ₐC for binary cross-entropy"]
            else:
                out.append("    return -y / np.maximum(a, np.finfo(float).tiny)  # ∇ₐC for cross-entropy")
            out += ["", ""]
        out += ["def cost(A, Y):"]
        if self.loss != "mse":
            out.append("    A = np.clip(A, np.finfo(float).tiny, np.nextafter(1.0, 0.0))  # keeps ln finite")
        out += [f"    return {cost}", "", "",
                "def number(x):",
                "    return float(x) if np.isfinite(x) else None  # JSON has no NaN", "", ""]
        if self.reg:
            term = "0.5 * reg_rate * sum(np.sum(W ** 2) for W in Ws)" if self.reg == "l2" else \
                "reg_rate * sum(np.sum(np.abs(W)) for W in Ws)"
            out += ["def penalty(*Ws):",
                    f"    return {term}  # the cost's {self.penalty_words()}, over the weights only", "", ""]
            out.append("def log(epoch, outputs, penalty_at_start):")
        else:
            out.append("def log(epoch, outputs):")
        out.append('    loss, error = cost(outputs, Y), np.mean(np.abs(Y - outputs))')
        extra = ', "penalty": number(penalty_at_start)' if self.reg else ""
        out.append('    print(json.dumps({"epoch": epoch, "loss": number(loss), "error": number(error)' + extra + '}))')
        return Section("The activation, its derivative and the cost",
                       "σ′ is taken at z; since the forward pass already computed a = σ(z), the derivative is "
                       "written from a.",
                       [ln if isinstance(ln, Line) else Line(ln) for ln in out])

    def init(self):
        c, L, sizes = self.c, self.L, self.sizes
        init, seed = c["init"], c["seed"]
        changed = self.variant.init is not None
        mark = f"  {MISTAKE}every weight starts in [0, 1), so the hidden units start alike" if changed else ""
        lines = []
        legacy = init in LEGACY
        lines.append(Line(f"np.random.seed({seed})" if legacy else f"rng = np.random.default_rng({seed})"))
        for l in range(1, L + 1):
            n_in, n_out = sizes[l - 1], sizes[l]
            if init == "rand-columns":
                draw = f"np.random.rand({n_out}, {n_in})"
                w = draw + ("" if self.col else ".T.copy()")
            else:
                draw = {"rand-sym": f"2 * np.random.random(({n_in}, {n_out})) - 1",
                        "rand": f"np.random.random(({n_in}, {n_out}))",
                        "randn": f"np.random.randn({n_in}, {n_out})",
                        "uniform": f"rng.uniform(-1.0, 1.0, ({n_in}, {n_out}))",
                        "xavier": f"rng.normal(0.0, np.sqrt(2.0 / ({n_in} + {n_out})), ({n_in}, {n_out}))",
                        "he": f"rng.normal(0.0, np.sqrt(2.0 / {n_in}), ({n_in}, {n_out}))",
                        "normal": f"rng.normal(0.0, 0.5, ({n_in}, {n_out}))"}[init]
                w = (f"({draw}).T" if draw.startswith("2 *") else f"{draw}.T") if self.col else draw
            lines.append(Line(f"W{l} = {w}{mark}", mistake=changed))
            if self.bias:
                if init == "rand-columns":
                    b = f"np.random.rand({n_out}, 1)" + ("" if self.col else "[:, 0]")
                else:
                    b = f"np.zeros(({n_out}, 1))" if self.col else f"np.zeros({n_out})"
                lines.append(Line(f"b{l} = {b}"))
        if self.momentum:
            for l in range(1, L + 1):
                lines.append(Line(f"vW{l} = np.zeros_like(W{l})" + (f"; vb{l} = np.zeros_like(b{l})"
                                                                     if self.bias else "")))
        shapes = ", ".join(f"W{l} ({sizes[l]}, {sizes[l - 1]})" if self.col else
                           f"W{l} ({sizes[l - 1]}, {sizes[l]})" for l in range(1, L + 1))
        return Section("The initial weights",
                       f"Drawn with the same NumPy calls as the playground, so seed {seed} gives its very start: "
                       f"{shapes}." + (" The velocities for momentum start at zero." if self.momentum else ""),
                       lines)

    def settings(self):
        c = self.c
        lines = [f"lr = {c['lr']!r}  # the learning rate η"]
        if self.reg:
            lines.append(f"reg_rate = {self.reg_rate!r}  # λ, how strongly the {self.reg.upper()} penalty pulls the "
                         "weights towards 0")
        if self.momentum:
            lines.append(f"momentum = {self.momentum!r}")
        if c["batch"] not in ("full", "sample"):
            lines.append(f"BATCH = {self.batch_size}")
        lines.append(f"EPOCHS = {self.epochs}")
        lines.append(f"LOG_EVERY = {max(1, self.epochs // 10)}")
        return Section("The settings", "The learning rate, batch size and how long to train.",
                       [Line(t) for t in lines])

    def uses_cost_gradient(self):
        cancels = (self.loss, self.out) in (("bce", "sigmoid"), ("ce", "softmax"))
        v = self.variant
        return not cancels or v.drop_output_sigma_prime or (v.sigma_prime_on_activation and self.out != "softmax")

    def params(self):
        return [f"W{l}" for l in range(1, self.L + 1)] + ([f"b{l}" for l in range(1, self.L + 1)] if self.bias else [])

    def final(self):
        L, col = self.L, self.col
        ws = ", ".join(f"W{l}.T.tolist()" if col else f"W{l}.tolist()" for l in range(1, L + 1))
        grows = self.variant.bias_per_sample and self.epochs > 0
        if col:
            bs = ", ".join((f"b{l}.T.tolist()" if grows else f"b{l}[:, 0].tolist()") for l in range(1, L + 1))
        else:
            bs = ", ".join(f"b{l}.tolist()" for l in range(1, L + 1))
        if not self.bias:
            bs = ""
        return Section("The result", "The trained weights and biases, in row layout (as the playground's "
                       "`train --json` prints them).",
                       [Line('print(json.dumps({"final": {"weights": [' + ws + '], "biases": [' + bs + ']}}))')])
