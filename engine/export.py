"""A configuration as the NumPy script a learner would write: standalone, one line per equation.

``script(config, layout, epochs)`` returns the text of a Python file that imports only NumPy and ``json``,
holds its data written out, draws its initial weights with the same NumPy calls as ``init.py`` (so the same
seed gives the same start), trains in the configured batch mode, schedule, momentum and reduction, and prints
one JSON line per logged epoch and then ``{"final": {"weights": …, "biases": …}}`` in row layout, as
``backprop-playground train --json`` does.  In row layout (samples are rows, ``Z = A @ W + b``) it performs
the engine's operations in the engine's order, so its weights are the engine's bit for bit; in column layout
(samples are columns, ``Z = W @ A + b``, as in Nielsen's book) the products are the transposed ones and agree
to rounding.  A mistake-lab variant is written as the line it changes, marked ``# MISTAKE:``.

``sections`` gives the same program as titled parts (the notebook's cells) and ``step`` the training step
alone, each line tagged with the playback phase it belongs to (the page's Code panel).  Nothing here trains,
and nothing imports Flask.
"""
from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass, field

from . import activations as _act
from . import presets as _presets
from . import variants as _variants
from .checks import refuse

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


def check(setup):
    """``setup`` if the script can reproduce it, else ``FieldError`` naming the field it cannot write yet."""
    if setup.net.regularization != "none":
        refuse("regularization", "Regularization", f"{setup.net.regularization!r}: the exported script has no "
                                                   "penalty term yet; set it to none to export")
    return setup


class _Writer:
    """Writes the program for one normalised config and layout."""

    def __init__(self, config, layout, epochs, setup=None):
        if layout not in LAYOUTS:
            raise ValueError(f"layout: {layout!r} is not one of {', '.join(LAYOUTS)}")
        setup = check(setup or _presets.build(config))
        self.c, self.setup, self.layout = setup.config, setup, layout
        self.col = layout == "column"
        self.variant = setup.variant
        self.epochs = setup.preset["epochs"] if epochs is None else epochs
        net = setup.net
        self.sizes, self.L = net.sizes, len(net.sizes) - 1
        self.hidden, self.out = net.activation, net.output_activation
        self.loss, self.mean, self.bias = net.loss_name, net.reduction == "mean", net.bias
        self.momentum = setup.trainer.momentum
        self.batch_size, self.n = setup.trainer.batch_size, setup.dataset.n_samples
        self.schedule = setup.trainer.schedule
        self.X, self.Y = setup.trainer.X, setup.trainer.Y

    # -- small helpers ---------------------------------------------------
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
        if d.kind == "letters":
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
        out.append("def log(epoch, outputs):")
        out.append('    loss, error = cost(outputs, Y), np.mean(np.abs(Y - outputs))')
        out.append('    print(json.dumps({"epoch": epoch, "loss": number(loss), "error": number(error)}))')
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
        legacy = init in ("trask", "rand", "randn", "rand-columns")
        lines.append(Line(f"np.random.seed({seed})" if legacy else f"rng = np.random.default_rng({seed})"))
        for l in range(1, L + 1):
            n_in, n_out = sizes[l - 1], sizes[l]
            if init == "rand-columns":
                draw = f"np.random.rand({n_out}, {n_in})"
                w = draw + ("" if self.col else ".T.copy()")
            else:
                draw = {"trask": f"2 * np.random.random(({n_in}, {n_out})) - 1",
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

    # -- the training step, tagged for the page --------------------------
    def batch_line(self):
        c, col = self.c, self.col
        if c["batch"] == "full":
            return "A0, y = X, Y  # the whole training set as one batch"
        if c["batch"] == "sample":
            pick = "i:i + 1"
        else:
            pick = "batch" if c["shuffle"] else "start:start + BATCH"
        return f"A0, y = X[:, {pick}], Y[:, {pick}]" if col else f"A0, y = X[{pick}], Y[{pick}]"

    def step(self):
        """The lines of one update, each tagged with its playback phase, without indentation."""
        L, col, v = self.L, self.col, self.variant
        lines = [Line(self.batch_line(), ("forward:0",))]
        for l in range(1, L + 1):
            act = self.hidden if l < L else self.out
            z = self.mm(f"A{l - 1}", f"W{l}") + (f" + b{l}" if self.bias else "")
            sup = _sup(l)
            lines.append(Line(f"Z{l} = {z}  # z{sup} = " + (f"W{sup}a{_sup(l - 1)}" if col else
                                                             f"a{_sup(l - 1)}W{sup}") + (f" + b{sup}" if self.bias
                                                                                          else ""),
                              (f"forward:{l}",)))
            lines.append(Line(f"A{l} = {self.fn(act)}(Z{l})", (f"forward:{l}",)))
        # BP1
        aL, sL = f"A{L}", _sup(L)
        grad = f"{aL} - y" if self.loss == "mse" else f"cost_gradient({aL}, y)"
        grad_note = {"mse": "∇ₐC for ½‖a − y‖²", "bce": "∇ₐC for binary cross-entropy",
                     "ce": "∇ₐC for cross-entropy"}[self.loss]
        mean = f" * (1.0 / {self.m_expr()})" if self.mean else ""
        mean_note = ", × 1/m for the mean cost" if self.mean else ""
        cancels = (self.loss, self.out) in (("bce", "sigmoid"), ("ce", "softmax"))
        loss_tag, bp1_tag = (f"loss:{L}",), (f"backward:{L}",)
        elementwise = self.out != "softmax"
        if v.drop_output_sigma_prime:
            lines.append(Line(f"delta{L} = {f'({grad})' if mean and self.loss == 'mse' else grad}{mean}  "
                              f"{MISTAKE}σ′(z{sL}) dropped: this is the δ of "
                              "another cost, not of the one reported", loss_tag + bp1_tag, mistake=True))
        elif v.sigma_prime_on_activation and elementwise and cancels:
            lines.append(Line(f"delta{L} = {grad} * {self.prime(self.out)}({aL}){mean}  {MISTAKE}written "
                              f"out as ∇ₐC ⊙ σ′ with the wrong σ′; σ′ cancelled before", loss_tag + bp1_tag,
                              mistake=True))
        elif cancels:
            what = "binary cross-entropy after a sigmoid" if self.loss == "bce" else "cross-entropy after softmax"
            lines.append(Line(f"delta{L} = ({aL} - y){mean}  # BP1: δ{sL} = a{sL} − y for {what} "
                              f"(σ′ cancels){mean_note}", loss_tag + bp1_tag))
        elif elementwise:
            lines.append(Line(f"dC_dA{L} = {grad}  # {grad_note}", loss_tag))
            lines.append(Line(f"delta{L} = dC_dA{L} * {self.prime(self.out)}({aL}){mean}  # BP1: "
                              f"δ{sL} = ∇ₐC ⊙ σ′(z{sL}){mean_note}", bp1_tag))
        else:
            units = self.axis()[1]
            lines.append(Line(f"dC_dA{L} = {grad}  # {grad_note}", loss_tag))
            lines.append(Line(f"delta{L} = {aL} * (dC_dA{L} - (dC_dA{L} * {aL}).sum(axis={units}, keepdims=True))"
                              f"{mean}  # BP1 through softmax's Jacobian{mean_note}", bp1_tag))
        for l in range(L, 0, -1):
            sup, tag = _sup(l), (f"backward:{l}",)
            if l < L:
                act = self.prime(self.hidden)
                prod = f"W{l + 1}.T @ delta{l + 1}" if col else f"delta{l + 1} @ W{l + 1}.T"
                eq = f"W{_sup(l + 1)}ᵀδ{_sup(l + 1)}" if col else f"δ{_sup(l + 1)}W{_sup(l + 1)}ᵀ"
                lines.append(Line(f"delta{l} = ({prod}) * {act}(A{l})  # BP2: δ{sup} = ({eq}) ⊙ σ′(z{sup})", tag))
            if self.bias:
                if v.bias_per_sample:
                    lines.append(Line(f"nabla_b{l} = delta{l}  {MISTAKE}not summed over the batch, so b{l} becomes "
                                      "one bias per sample", tag, mistake=True))
                else:
                    ax = self.axis()[0]
                    keep = ", keepdims=True" if col else ""
                    lines.append(Line(f"nabla_b{l} = delta{l}.sum(axis={ax}{keep})  # BP3: ∂C/∂b{sup} = Σ δ{sup} "
                                      "over the batch", tag))
            prod = f"delta{l} @ A{l - 1}.T" if col else f"A{l - 1}.T @ delta{l}"
            eq = f"δ{sup}a{_sup(l - 1)}ᵀ" if col else f"a{_sup(l - 1)}ᵀδ{sup}"
            lines.append(Line(f"nabla_W{l} = {prod}  # BP4: ∂C/∂W{sup} = {eq}", tag))
        flip = v.sign != 1.0
        sign = "+" if flip else "-"
        note = f"  {MISTAKE}+ climbs the cost; descent subtracts the gradient" if flip else ""
        for l in range(1, L + 1):
            names = [f"W{l}"] + ([f"b{l}"] if self.bias else [])
            for p in names:
                tags = ("update:0", "update:1")
                g = f"nabla_{p[0]}{p[1:]}" if p[0] == "W" else f"nabla_b{l}"
                if self.momentum:
                    vm = f"v{p}"
                    lines.append(Line(f"{vm} = momentum * {vm} {sign} eta * {g}{note}", tags, mistake=flip))
                    lines.append(Line(f"{p} = {p} + {vm}", tags))
                else:
                    c = "" if flip or p[0] == "b" else f"  # {p} ← {p} − η ∂C/∂{p}"
                    lines.append(Line(f"{p} = {p} {sign} eta * {g}{note}{c}", tags, mistake=flip))
        return lines

    def loop(self):
        c, col = self.c, self.col
        v = self.variant
        lines = []
        if c["shuffle"] and c["batch"] != "full":
            lines.append(Line(f"order_rng = np.random.default_rng({c['seed']})  # shuffles the samples each epoch"))
        lines.append(Line("for epoch in range(EPOCHS):"))
        lines.append(Line(f"    previous = {', '.join(self.params())}  # each update makes new arrays; "
                          "these keep the old ones"))
        if self.schedule == "inverse":
            if v.schedule is not None:
                lines.append(Line(f"    eta = lr / (epoch + 1)  {MISTAKE}η/epoch: the step shrinks long before "
                                  "the network has learned", mistake=True))
            else:
                lines.append(Line("    eta = lr / (epoch + 1)  # η/epoch, the learning rate shrinks"))
        else:
            lines.append(Line("    eta = lr"))
        step = self.step()
        L = self.L
        if c["batch"] == "full":
            body, ind = step, "    "
            tail = [Line(f"    outputs = A{L}")]
        else:
            lines.append(Line("    outputs = np.empty_like(Y)  # each sample's output this epoch, for the log"))
            n = "X.shape[1]" if col else "len(X)"
            if c["batch"] == "sample":
                order = f"order_rng.permutation({n})" if c["shuffle"] else f"range({n})"
                lines.append(Line(f"    for i in {order}:  # one sample at a time"))
                out = "i:i + 1"
            else:
                if c["shuffle"]:
                    lines.append(Line(f"    order = order_rng.permutation({n})"))
                lines.append(Line(f"    for start in range(0, {n}, BATCH):"))
                if c["shuffle"]:
                    lines.append(Line("        batch = order[start:start + BATCH]"))
                out = "batch" if c["shuffle"] else "start:start + BATCH"
            out = f"outputs[:, {out}] = A{L}" if col else f"outputs[{out}] = A{L}"
            body, ind = step + [Line(out)], "        "
            tail = []
        lines += [Line(ind + ln.text, ln.tags, ln.mistake) for ln in body]
        lines += tail
        params = ", ".join(self.params())
        lines.append(Line(f"    if not all(np.isfinite(p).all() for p in (outputs, {params})):"))
        lines.append(Line(f"        {params} = previous  # it overflowed: stop on the last finite weights"))
        lines.append(Line("        break"))
        lines.append(Line("    if epoch % LOG_EVERY == 0:"))
        lines.append(Line("        log(epoch, outputs)"))
        return Section("Training", self.training_explanation(), lines)

    def training_explanation(self):
        L, col = self.L, self.col
        lay = "Each sample is a column, so a layer computes Z = W @ A + b." if col else \
            "Each sample is a row, so a layer computes Z = A @ W + b."
        return "\n".join([
            f"One epoch is one pass over the data. {lay}",
            "- **Forward**: each layer's z is the previous activation times the weights (plus the bias), "
            "and a = σ(z).",
            f"- **BP1**, the output δ: how the cost changes with z{_sup(L)}. Under squared error it keeps σ′(z); "
            "after a sigmoid with cross-entropy σ′ cancels and δ = a − y.",
            "- **BP2** carries δ one layer back through the transposed weights, times σ′ of that layer's z "
            "(written from its a).",
            "- **BP3**: a bias's gradient is δ summed over the samples of the batch (one bias is shared by all of "
            "them).",
            "- **BP4**: a weight's gradient is the activation it multiplies times the δ it feeds: "
            + ("δ aᵀ." if col else "aᵀ δ."),
            "- **Update**: step against the gradient, W ← W − η ∂C/∂W. (The seeds' `W += aᵀ(y − a)…` is the same "
            "step: their error y − a already carries the minus sign.)",
        ])

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

    def walkthrough(self):
        """The first update's forward pass and BP1–BP4 as parts of their own, computed and shown, not applied.

        They read the weights and assign only the step's names (Z1, delta2, nabla_W1 …), which the training
        loop assigns afresh, so the run is the script's.
        """
        c, col, L = self.c, self.col, self.L
        pick = {"full": None, "sample": "0:1"}.get(c["batch"], "0:BATCH")
        first = "A0, y = X, Y" if pick is None else (
            f"A0, y = X[:, {pick}], Y[:, {pick}]" if col else f"A0, y = X[{pick}], Y[{pick}]")
        which = "the whole training set" if pick is None else "the first sample" if c["batch"] == "sample" \
            else "the first mini-batch"
        step = self.step()
        eta = "eta = lr / 1  # η/epoch at epoch 0" if self.schedule == "inverse" else "eta = lr"
        tagged = lambda tag: [ln for ln in step if tag in ln.tags]  # noqa: E731
        parts = [Section("One update, line by line: the forward pass",
                         f"Before training, follow the first update on {which}. Each layer multiplies the previous "
                         "activation by its weights, adds the bias, and applies σ.",
                         [Line(first)] + [ln for l in range(1, L + 1) for ln in tagged(f"forward:{l}")]
                         + [Line(f"A{L}")])]
        parts.append(Section("BP1: the output δ",
                             "δᴸ = ∂C/∂zᴸ says how the cost changes with each output's z: the cost's gradient "
                             "∇ₐC times σ′(zᴸ). With cross-entropy after a sigmoid (or softmax) σ′ cancels and "
                             "δᴸ = a − y. BP3 and BP4 then give this layer's gradients.",
                             [ln for ln in step if {f"loss:{L}", f"backward:{L}"} & set(ln.tags)]
                             + [Line(f"delta{L}")]))
        for l in range(L - 1, 0, -1):
            parts.append(Section(f"BP2: δ{_sup(l)}, one layer back",
                                 f"δ{_sup(l + 1)} goes back through the transposed weights W{_sup(l + 1)}ᵀ, and "
                                 f"is multiplied by σ′(z{_sup(l)}), computed from a{_sup(l)}. Then BP3 (sum δ over "
                                 "the batch) and BP4 (the activation each weight multiplies, times δ).",
                                 tagged(f"backward:{l}") + [Line(f"delta{l}")]))
        w1 = next(ln for ln in tagged("update:0") if ln.text.startswith(("W1 =", "vW1 =")))
        rhs = w1.text.split(" = ", 1)[1].split("  #")[0]
        what = "W¹'s first step (the velocity starts at zero)" if self.momentum else "W¹ after this update"
        parts.append(Section("The update", "Each weight moves against its gradient, scaled by the learning rate η; "
                             "the seed scripts' `W += aᵀ(y − a)…` is the same step, as their y − a carries the "
                             "minus sign. Here it is only shown; the training below applies it.",
                             [Line(eta), Line(f"{rhs}  " + (f"{MISTAKE}+ climbs the cost; " if w1.mistake else "# ")
                                              + f"{what}, applied by the loop below", mistake=w1.mistake)]))
        return parts

    def sections(self, walkthrough=False):
        parts = [self.header(), self.data(), self.helpers(), self.init(), self.settings()]
        return parts + (self.walkthrough() if walkthrough else []) + [self.loop(), self.final()]


def sections(config=None, layout="row", epochs=None, setup=None, walkthrough=False):
    """The program as titled parts: header, data, helpers, initial weights, settings, training, result.

    ``setup`` (``presets.build(config)`` unless given) may train on more rows than its dataset (the page's
    drawn letters); the script then holds those rows too.  ``walkthrough`` adds, before the training, the first
    update's forward pass, BP1 and each BP2 as parts of their own (the notebook's), computed but not applied.
    """
    return _Writer(config, layout, epochs, setup).sections(walkthrough)


def script(config=None, layout="row", epochs=None, setup=None) -> str:
    """The standalone script for ``config`` (a preset plus overrides, as ``presets.build`` takes)."""
    parts = sections(config, layout, epochs, setup)
    text = ""
    for i, part in enumerate(parts):
        if i:  # two blank lines around the functions, one elsewhere
            text += "\n\n\n" if "def " in part.code + parts[i - 1].code else "\n\n"
        text += part.code.rstrip()
    return text + "\n"


def step(config=None, layout="row"):
    """The training step's lines as ``[{"text", "tags", "mistake"}]``, and what the variant changes.

    With ``compare`` on, the lines are the correct rule's (the one the page's diagram runs) and the variant
    trains beside it, so it appears only in ``changes``.
    ``changes`` lists ``{"context", "correct": [...], "variant": [...]}`` blocks of whole-script lines that differ,
    each after the line that precedes it.
    """
    config = dict(config or {})
    compare = bool(config.pop("compare", False))  # the app's fields: the mistake lab's side-by-side …
    config.pop("examples", None)  # … and the drawings (the step's lines are the same with them)
    shown = correct_rule(config) if compare else config  # the diagram runs the correct rule, the variant beside it
    lines = [{"text": ln.text, "tags": list(ln.tags), "mistake": ln.mistake}
             for ln in _Writer(shown, layout, None).step()]
    return {"layout": layout, "lines": lines, "changes": changes(config, layout)}


def changes(config=None, layout="row"):
    """What the config's mistake-lab variant changes in the script: blocks of correct and changed lines."""
    config = dict(config or {})
    if _presets.normalize(config)["variant"] == "correct":
        return []
    a, b = (_code_lines(script(c, layout, 1)) for c in (correct_rule(config), config))
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            out.append({"context": b[j1 - 1] if j1 else "", "correct": a[i1:i2], "variant": b[j1:j2]})
    return out


def correct_rule(config):
    """``config`` with the correct rule in place of its variant.

    A variant that sets ``init`` or ``schedule`` leaves that value in the normalised config (and so in the page's
    URL); where the config holds exactly the variant's value, the correct rule gets the preset's own.
    """
    c = _presets.normalize(config)
    variant = _variants.get(c["variant"])
    out = {**config, "variant": "correct"}
    preset = _presets.PRESETS[c["preset"]]["config"]
    for name in ("init", "schedule"):
        if getattr(variant, name) is not None and c[name] == getattr(variant, name):
            out[name] = preset[name]
    return out


def _code_lines(text):
    """The script's lines after its docstring, without indentation."""
    lines = text.splitlines()
    return [ln.strip() for ln in lines[lines.index('"""', 1) + 1:]]
