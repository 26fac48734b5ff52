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

from . import presets as _presets
from . import variants as _variants
from .export_parts import LAYOUTS, MISTAKE, Line, Parts, Section, _sup

__all__ = ["LAYOUTS", "MISTAKE", "Line", "Section", "changes", "correct_rule", "script", "sections", "step"]


class _Writer(Parts):
    """Writes the program for one normalised config and layout."""

    def __init__(self, config, layout, epochs, setup=None):
        if layout not in LAYOUTS:
            raise ValueError(f"layout: {layout!r} is not one of {', '.join(LAYOUTS)}")
        setup = setup or _presets.build(config)
        self.c, self.setup, self.layout = setup.config, setup, layout
        self.col = layout == "column"
        self.variant = setup.variant
        self.epochs = setup.preset["epochs"] if epochs is None else epochs
        net = setup.net
        self.sizes, self.L = net.sizes, len(net.sizes) - 1
        self.hidden, self.out = net.activation, net.output_activation
        self.loss, self.mean, self.bias = net.loss_name, net.reduction == "mean", net.bias
        self.reg = net.regularization if net.regularized else None  # "l1", "l2", or None (no penalty)
        self.reg_rate = net.reg_rate
        self.momentum = setup.trainer.momentum
        self.batch_size, self.n = setup.trainer.batch_size, setup.dataset.n_samples
        self.schedule = setup.trainer.schedule
        self.X, self.Y = setup.trainer.X, setup.trainer.Y

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
            if self.reg:
                term, says = (f"reg_rate * W{l}", "λw") if self.reg == "l2" else \
                    (f"reg_rate * np.sign(W{l})", "λ·sign(w)")
                lines.append(Line(f"nabla_W{l} = nabla_W{l} + {term}  # + {says}: the {self.reg.upper()} penalty's "
                                  "gradient, once per batch (never the biases)", tag))
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
        if self.reg:
            weights = ", ".join(f"W{l}" for l in range(1, self.L + 1))
            lines.append(Line(f"    penalty_at_start = penalty({weights})  # the cost is the data term plus this"))
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
        lines.append(Line("        log(epoch, outputs" + (", penalty_at_start)" if self.reg else ")")))
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
        ] + ([f"- **Regularisation**: the cost also holds the {self.penalty_words()}, so after BP4 each weight's "
              "gradient gains " + ("λw" if self.reg == "l2" else "λ·sign(w)") + ", once per batch; the biases "
              "get none. The log prints that penalty beside the data term."] if self.reg else []))

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
