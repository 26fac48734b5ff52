"""Showing one step to the learner: one sample through the four phases, and the next epoch's real update.

``Stepping`` is mixed into ``Trainer`` (``engine/trainer.py``):

- ``step_sample()`` walks the epoch one sample at a time — forward, its cost, backward, and at a batch's end the
  update — and returns a ``SampleTrace`` with every number of the four phases.  Its updates are the trainer's own:
  an epoch walked this way (or begun this way and finished by ``run``) reaches the weights ``run`` would.
- ``next_update()`` works out the next epoch of ``run`` on a copy (weights, velocity, shuffle order, a half-done
  epoch) and returns a ``NextUpdate``: bit for bit the weights ``run(1)`` reaches, and each step's Δw.

It leaves out training itself: epochs, batches, schedules, momentum, history, divergence and changes of data stay
in ``trainer.py``, whose methods it calls (``_epoch_order``, ``_test_out``, ``_start_out``, ``_apply``,
``_finite``, ``_record``, ``_diverge``, ``_one_epoch``, ``run``, ``eta_at``).  Nothing here knows about threads,
sockets or JSON; ``app/wire/encode.py`` turns both results into messages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import losses as _loss
from .network import backprop, forward, penalty_grads


@dataclass
class SampleTrace:
    """One sample through the network: forward, its cost, backward, and (at a batch's end) the update."""

    epoch: int
    index: int  # which training sample
    position: int  # its place in this epoch's order
    batch_size: int
    x: np.ndarray
    y: np.ndarray
    zs: list
    activations: list
    deltas: list
    nabla_w: list  # this sample's contribution to the batch gradient
    nabla_b: list
    loss: float
    eta: float
    applied: bool  # the batch ended here and the update was made
    weights_before: list
    biases_before: list
    weights_after: list = field(default_factory=list)
    biases_after: list = field(default_factory=list)
    cost_derivative: np.ndarray | None = None  # ∂C/∂aᴸ of this sample's own cost (before any 1/n)
    penalty_grad: list | None = None  # the regulariser's term, joining the batch's ∂C/∂W at its end; None without


@dataclass
class NextUpdate:
    """What the next epoch of ``run`` does, worked out on a copy: the weights it reaches and how it gets there.

    ``weights``/``biases`` are bit for bit those of the trainer after ``run(1)``.  ``steps`` is how many updates
    the epoch makes (1 for a full batch, one per mini-batch, one per sample; fewer when an epoch begun by
    ``step_sample`` is finished); ``step_weights``/``step_biases`` hold each step's change Δw (only when there are
    at most ``keep_steps`` of them, else empty).  With momentum, ``velocity``/``velocity_after`` are
    (per-layer weight velocities, per-layer bias velocities) before and after the epoch; else None.
    """

    epoch: int
    steps: int
    batch_size: int
    eta: float
    schedule: str  # "constant" or "inverse" (η/(epoch + 1)), as the trainer runs it (a variant may override)
    momentum: float
    order: list  # the samples in the order this epoch visits them
    weights: list
    biases: list
    velocity: tuple | None
    velocity_after: tuple | None
    step_weights: list
    step_biases: list
    finite: bool


class Stepping:
    """The step-showing part of ``Trainer``: where the epoch walked one sample at a time stands, and the views."""

    def _forget_epoch(self):
        """No epoch begun by ``step_sample``: the next sample starts a new one."""
        self._test_start = None  # the test outputs at the start of an epoch walked by step_sample
        self._start = None  # the training outputs at the start of an epoch walked by step_sample
        self._order = None
        self._pos = 0  # next position within the epoch (sample stepping)
        self._pending = None  # accumulated per-sample gradients of an unfinished batch

    def step_sample(self) -> SampleTrace:
        """Forward and backward for the next sample; the update happens when its batch is complete."""
        if self._pos == 0:
            self._order = self._epoch_order()
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                self._test_start, self._start = self._test_out(), self._start_out()
        net, X, Y = self.net, self.X, self.Y
        n = X.shape[0]
        pos = self._pos
        i = int(self._order[pos])
        batch_start = pos - pos % self.batch_size
        bs = min(self.batch_size, n - batch_start)
        x, y = X[i:i + 1], Y[i:i + 1]
        per_sample_bias = self.variant.bias_per_sample and net.bias
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            if per_sample_bias and any(np.ndim(b) == 2 for b in net.biases):
                # the bias-not-summed mistake has grown one bias row per sample: this sample uses its own row
                own = net.copy()
                own.biases = [b[i:i + 1] if np.ndim(b) == 2 else b for b in net.biases]
                trace = forward(own, x)
                g = backprop(own, trace, y, self.variant, with_penalty=False)  # the penalty joins once per batch
            else:
                trace = forward(net, x)
                g = backprop(net, trace, y, self.variant, with_penalty=False)
        scale = 1.0 / bs if net.reduction == "mean" else 1.0  # this sample's share of the batch cost
        if scale != 1.0:
            g.weights = [w * scale for w in g.weights]
            g.biases = [b * scale for b in g.biases]
            g.deltas = [d * scale for d in g.deltas]
        if per_sample_bias:  # its gradient goes to this sample's own bias row
            rows = [np.zeros((n, b.shape[-1])) for b in g.biases]
            for r, b in zip(rows, g.biases, strict=True):
                r[i] = b[0]
            g.biases = rows
        if self._pending is None:
            self._pending = ([np.zeros_like(w) for w in g.weights], [np.zeros_like(b) for b in g.biases])
        for acc, gw in zip(self._pending[0], g.weights, strict=True):
            acc += gw
        for acc, gb in zip(self._pending[1], g.biases, strict=True):
            acc += gb
        eta = self.eta_at(self.epoch)
        self._epoch_out[i] = trace.activations[-1][0]
        t = SampleTrace(
            epoch=self.epoch, index=i, position=pos, batch_size=bs, x=x[0].copy(), y=y[0].copy(),
            zs=trace.zs, activations=trace.activations, deltas=g.deltas, nabla_w=g.weights, nabla_b=g.biases,
            loss=_loss.total(net.loss_name, "sum", trace.activations[-1], y) * scale, eta=eta,
            applied=False, weights_before=[w.copy() for w in net.weights],
            biases_before=[b.copy() for b in net.biases],
            cost_derivative=_loss.grad_a(net.loss_name, trace.activations[-1], y), penalty_grad=penalty_grads(net))
        self._pos += 1
        if self._pos - batch_start == bs:
            pending_w, pending_b = self._pending
            if t.penalty_grad is not None:  # the weights have not changed since this batch began
                pending_w = [g + self.variant.sign * p for g, p in zip(pending_w, t.penalty_grad, strict=True)]
            self._apply(pending_w, pending_b, eta)
            self._pending = None
            t.applied = True
            t.weights_after = [w.copy() for w in net.weights]
            t.biases_after = [b.copy() for b in net.biases]
            if self._pos == n:
                self._pos = 0
                out = self._epoch_out.copy()
                if not self._finite(out):
                    self._diverge("the outputs or weights became NaN or infinite")
                else:
                    self._record(out, self._test_start, self._start)
                    self.epoch += 1
        return t

    def next_update(self, keep_steps=8) -> NextUpdate:
        """The next epoch of ``run``, made on a copy (weights, velocity, shuffle order, a half-done epoch),
        leaving this trainer untouched."""
        n, m = self.Y.shape
        scratch = object.__new__(type(self))
        scratch.__dict__.update(self.__dict__)
        scratch.net = self.net.copy()
        scratch._velocity = tuple([v.copy() for v in vs] for vs in self._velocity)
        scratch._rng = np.random.default_rng()
        scratch._rng.bit_generator.state = self._rng.bit_generator.state
        scratch._pending = None if self._pending is None else tuple([g.copy() for g in gs] for gs in self._pending)
        scratch._epoch_out = self._epoch_out.copy()
        scratch._buf, scratch._k = np.empty((1, n, m)), 0
        scratch._tbuf = None if self._tbuf is None else np.empty((1, *self._tbuf.shape[1:]))  # never this one's
        scratch._sbuf = None if self._sbuf is None else np.empty((1, n, m))
        scratch._hist = {k: [] for k in self._hist}
        scratch.diverged = None
        bs = self.batch_size
        first = self._pos - self._pos % bs
        steps = -(-(n - first) // bs)
        keep = steps <= keep_steps
        step_w, step_b = [], []
        apply = scratch._apply

        def recording_apply(nabla_w, nabla_b, eta):
            before = ([w.copy() for w in scratch.net.weights], [b.copy() for b in scratch.net.biases])
            apply(nabla_w, nabla_b, eta)
            step_w.append([w - w0 for w, w0 in zip(scratch.net.weights, before[0], strict=True)])
            step_b.append([b - b0 for b, b0 in zip(scratch.net.biases, before[1], strict=True)])

        if self._pos:
            order = [int(i) for i in self._order[self._pos:]]
        else:
            rng_state = scratch._rng.bit_generator.state
            order = [int(i) for i in scratch._epoch_order()] if bs < n else list(range(n))
            scratch._rng.bit_generator.state = rng_state
        if keep:  # the general path, one recorded step at a time
            scratch._apply = recording_apply
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                if self._pos:
                    while not (scratch.step_sample().applied and scratch._pos == 0) and not scratch.diverged:
                        pass
                    out = scratch._epoch_out
                else:
                    out = scratch._one_epoch()
            finite = scratch._finite(out) and not scratch.diverged
        else:  # exactly what run(1) does, hot loop included
            finite = scratch.run(1) == 1 and not scratch.diverged
        momentum = bool(self.momentum)
        return NextUpdate(
            epoch=self.epoch, steps=steps, batch_size=bs, eta=self.eta_at(self.epoch), schedule=self.schedule,
            momentum=self.momentum,
            order=order, weights=scratch.net.weights, biases=scratch.net.biases,
            velocity=tuple([v.copy() for v in vs] for vs in self._velocity) if momentum else None,
            velocity_after=scratch._velocity if momentum else None,
            step_weights=step_w, step_biases=step_b, finite=bool(finite))
