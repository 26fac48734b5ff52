"""Training loops: full batch, mini-batch and per-sample SGD, with a per-epoch history.

``Trainer.run(n)`` trains n epochs as fast as NumPy allows.  Each epoch the
outputs of the forward passes its updates used are copied into a buffer (one
array copy); loss, mean |y − a| and accuracy are computed from that buffer in
bulk, once per chunk of epochs, so the hot loop pays for nothing else.  The
figures of epoch e describe the network *before* update e, on the whole
training set — the numbers ``state()`` (a snapshot) shows at epoch e; epoch 0
is the untrained network.  With mini-batches or one sample per update the
epoch's forward passes see weights that change within the epoch, so the trainer
also makes one forward pass of the whole set at the epoch's start (its outputs
give loss, error and accuracy) and keeps the passes' own figures as
``running_loss`` and ``running_error``: what the seed scripts print (each
sample's cost just before its own update).  A full batch has one pass: both
are the same.

Divergence (a NaN or inf in the outputs or weights) is found at the end of a
chunk; the chunk is then replayed epoch by epoch from a checkpoint, so training
stops on the last finite weights with the exact epoch and reason.

A held-out test set (``X_test``, ``Y_test``) is never trained on: its outputs
are computed at the start of each epoch, with the same weights as the training
figures, and the history keeps ``test_loss``, ``test_error`` and
``test_accuracy`` beside them (None without a test set).  The history's
``loss`` is the data term of the cost; with regularisation the penalty is
``net.penalty()`` (``EpochState.penalty``).  For ``task="regression"`` there
are no classes: ``accuracy`` is NaN and the measure is ``error``, the mean
absolute error |y − a|.

``set_weight``/``set_bias`` change one parameter and ``add_points`` appends
training rows between epochs; the run, its epoch count and history go on.

``state()`` computes the full picture (every z, a, δ and gradient) for the
current weights, on demand only (``inspect.inspect``, which also holds the
class rule and the curves' figures).

Showing one step to the learner — ``step_sample()`` (one sample's four phases,
a ``SampleTrace``) and ``next_update()`` (the next epoch's real step worked out
on a copy, a ``NextUpdate``) — is left to ``stepping.py``, mixed in as
``Stepping``.  Nothing here knows about threads, sockets or JSON.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import fastpath as _fast
from .checks import MAX_EPOCHS, MAX_LR, MAX_MOMENTUM
from .inspect import FIGURES, EpochState, figures, inspect
from .network import Network, as_matrix, backprop, finite_rate, forward
from .stepping import Stepping
from .variants import CORRECT, Variant

SCHEDULES = ("constant", "inverse")
TASKS = ("classification", "regression")
MAX_SET_VALUE = 1000.0  # |a weight or bias typed in by hand|
CHUNK = 256
MAX_EPOCHS_PER_RUN = MAX_EPOCHS  # one run's epochs: the server's (app.factory), the CLI's and Trainer.run's
HISTORY = (*FIGURES, "running_loss", "running_error")  # and what the seed scripts print (see above)


@dataclass
class Divergence:
    epoch: int
    reason: str


def _batch_size(batch, n):
    """Samples per update for ``batch`` ('full', 'sample' or a whole number) on ``n`` samples."""
    if batch == "full":
        return n
    if batch == "sample":
        return 1
    if isinstance(batch, (int, np.integer)) and not isinstance(batch, bool) and 1 <= batch <= n:
        return int(batch)
    raise ValueError(f"batch: {batch!r} is not 'full', 'sample' or a whole number from 1 to {n}")


class Trainer(Stepping):
    """Trains ``net`` on (X, Y) and keeps its history; ``step_sample``/``next_update`` come from ``Stepping``."""

    def __init__(self, net: Network, X, Y, eta=0.1, batch="full", shuffle=False, shuffle_seed=None,
                 schedule="constant", momentum=0.0, variant: Variant = CORRECT, X_test=None, Y_test=None,
                 task="classification"):
        X, Y = net.check_data(X, Y)
        if task not in TASKS:
            raise ValueError(f"task: {task!r} is not one of {', '.join(TASKS)}")
        if (X_test is None) != (Y_test is None):
            raise ValueError("X_test: give the test inputs and targets together, or neither")
        if X_test is not None:
            X_test, Y_test = as_matrix("X_test", X_test, net.sizes[0]), as_matrix("Y_test", Y_test, net.sizes[-1])
            if X_test.shape[0] != Y_test.shape[0]:
                raise ValueError(f"Y_test: {Y_test.shape[0]} rows, but X_test has {X_test.shape[0]}")
        n = X.shape[0]
        batch_size = _batch_size(batch, n)
        if variant.schedule is not None:
            schedule = variant.schedule
        if schedule not in SCHEDULES:
            raise ValueError(f"schedule: {schedule!r} is not one of {', '.join(SCHEDULES)}")
        finite_rate("eta", eta, upper=MAX_LR)
        finite_rate("momentum", momentum, upper=MAX_MOMENTUM)
        if variant.bias_per_sample and batch_size != n:
            raise ValueError("batch: the bias-not-summed variant needs batch 'full'")
        self.net, self.X, self.Y = net, X, Y
        self.X_test, self.Y_test, self.task = X_test, Y_test, task
        self.eta, self.momentum, self.schedule = float(eta), float(momentum), schedule
        self.batch, self.batch_size = batch, batch_size
        self.shuffle, self.shuffle_seed = bool(shuffle), shuffle_seed
        self.variant = variant
        self.reset_history()

    # -- bookkeeping -----------------------------------------------------
    def reset_history(self):
        """Back to epoch 0 with the network's current weights."""
        n, m = self.Y.shape
        self.epoch = 0
        self.diverged: Divergence | None = None
        self._rng = np.random.default_rng(self.shuffle_seed)
        self._velocity = ([np.zeros_like(w) for w in self.net.weights],
                          [np.zeros_like(b) for b in self.net.biases])
        self._buf = np.empty((CHUNK, n, m))
        self._tbuf = None if self.X_test is None else np.empty((CHUNK, self.X_test.shape[0], m))
        self._sbuf = self._start_buffer()
        self._k = 0  # epochs in the buffer
        self._hist = {k: [] for k in HISTORY}
        self._forget_epoch()  # no epoch begun by step_sample
        self._epoch_out = np.empty((n, m))
        self.data_changes: list[int] = []  # epochs at which set_data changed the training set

    def set_data(self, X, Y):
        """Train on (X, Y) from the current epoch on, keeping the weights, velocity, epoch and history.

        The epoch is recorded in ``data_changes`` (a loss curve can mark it; a change before the first
        epoch is just the starting data); finished epochs keep the figures they had on the old data.
        ``batch='full'`` follows the new number of samples; an epoch begun by ``step_sample`` is
        abandoned (the updates of its finished batches stay in the weights).
        """
        X, Y = self.net.check_data(X, Y)
        n, m = Y.shape
        batch_size = _batch_size(self.batch, n)
        if self.variant.bias_per_sample and n != self.X.shape[0]:
            raise ValueError("data: the bias-not-summed variant keeps one bias row per sample, "
                             "so its number of samples cannot change")
        self._flush()
        self.X, self.Y, self.batch_size = X, Y, batch_size
        self._buf = np.empty((CHUNK, n, m))
        self._sbuf = self._start_buffer()
        self._epoch_out = np.empty((n, m))
        self._forget_epoch()
        if self.epoch and (not self.data_changes or self.data_changes[-1] != self.epoch):
            self.data_changes.append(self.epoch)

    def _start_buffer(self):
        """Where each epoch's outputs at its start go when its updates see changing weights (else None: the
        passes' own outputs are the start's)."""
        n, m = self.Y.shape
        return np.empty((CHUNK, n, m)) if self.batch_size < n else None

    def _start_out(self):
        return None if self._sbuf is None else forward(self.net, self.X).activations[-1]

    def set_eta(self, eta):
        self.eta = finite_rate("eta", eta, upper=MAX_LR)

    def eta_at(self, epoch):
        return self.eta / (epoch + 1) if self.schedule == "inverse" else self.eta

    @property
    def history(self):
        """{'loss', 'error', 'accuracy', 'test_loss', 'test_error', 'test_accuracy', 'running_loss',
        'running_error'}: one float per finished epoch (at the epoch's start weights; ``running_*``: from the
        epoch's own forward passes); the test entries are None without a test set."""
        self._flush()
        return {k: None if k.startswith("test_") and self.X_test is None
                else (np.concatenate(v) if v else np.empty(0)) for k, v in self._hist.items()}

    def _figures(self, outs, Y):
        return figures(self.net, outs, Y, self.task)

    def _flush(self):
        k = self._k
        if not k:
            return
        running = self._figures(self._buf[:k], self.Y)
        start = running if self._sbuf is None else self._figures(self._sbuf[:k], self.Y)
        for name, v in zip(HISTORY[:3], start, strict=True):
            self._hist[name].append(v)
        self._hist["running_loss"].append(running[0])
        self._hist["running_error"].append(running[1])
        if self._tbuf is not None:
            for name, v in zip(HISTORY[3:6], self._figures(self._tbuf[:k], self.Y_test), strict=True):
                self._hist[name].append(v)
        self._k = 0

    def _test_out(self):
        return None if self.X_test is None else forward(self.net, self.X_test).activations[-1]

    def _record(self, out, test_out=None, start_out=None):
        if self._k == CHUNK:
            self._flush()
        self._buf[self._k] = out
        if self._sbuf is not None:
            self._sbuf[self._k] = start_out
        if self._tbuf is not None:
            self._tbuf[self._k] = test_out
        self._k += 1

    # -- the update ------------------------------------------------------
    def _apply(self, nabla_w, nabla_b, eta):
        net = self.net
        if self.momentum:
            vw, vb = self._velocity
            for l, g in enumerate(nabla_w):
                vw[l] *= self.momentum
                vw[l] -= eta * g
                net.weights[l] += vw[l]
            for l, g in enumerate(nabla_b):
                vb[l] = self.momentum * vb[l] - eta * g
                net.biases[l] = net.biases[l] + vb[l]
            return
        for l, g in enumerate(nabla_w):
            net.weights[l] -= eta * g  # w ← w − η ∂C/∂w
        for l, g in enumerate(nabla_b):
            if g.shape == net.biases[l].shape:
                net.biases[l] -= eta * g
            else:  # bias-not-summed: the bias grows to one row per sample
                net.biases[l] = net.biases[l] - eta * g

    def _epoch_order(self):
        n = self.X.shape[0]
        return self._rng.permutation(n) if self.shuffle else np.arange(n)

    def _one_epoch(self):
        """One epoch of updates; returns the outputs its forward passes produced."""
        X, Y, net, variant = self.X, self.Y, self.net, self.variant
        eta = self.eta_at(self.epoch)
        if self.batch_size == X.shape[0]:
            trace = forward(net, X)
            g = backprop(net, trace, Y, variant)
            self._apply(g.weights, g.biases, eta)
            return trace.activations[-1]
        out = self._epoch_out
        order = self._epoch_order()
        bs = self.batch_size
        for start in range(0, len(order), bs):
            idx = order[start:start + bs]
            trace = forward(net, X[idx])
            g = backprop(net, trace, Y[idx], variant)
            self._apply(g.weights, g.biases, eta)
            out[idx] = trace.activations[-1]
        return out

    def _finite(self, out):
        return (np.isfinite(out).all() and all(np.isfinite(w).all() for w in self.net.weights)
                and all(np.isfinite(b).all() for b in self.net.biases))

    def _checkpoint(self):
        return ([w.copy() for w in self.net.weights], [b.copy() for b in self.net.biases],
                [v.copy() for v in self._velocity[0]], [v.copy() for v in self._velocity[1]],
                self._rng.bit_generator.state, self.epoch)

    def _restore(self, cp):
        ws, bs, vw, vb, rng_state, epoch = cp
        self.net.weights[:] = [w.copy() for w in ws]
        self.net.biases[:] = [b.copy() for b in bs]
        self._velocity = ([v.copy() for v in vw], [v.copy() for v in vb])
        self._rng.bit_generator.state = rng_state
        self.epoch = epoch

    def run(self, n_epochs):
        """Train up to ``n_epochs`` more epochs; returns how many ran (fewer on divergence)."""
        if isinstance(n_epochs, bool) or not isinstance(n_epochs, (int, np.integer)) \
                or not 0 <= n_epochs <= MAX_EPOCHS_PER_RUN:
            raise ValueError(f"epochs: {n_epochs!r} is not a whole number from 0 to {MAX_EPOCHS_PER_RUN}")
        if self.diverged:
            return 0
        done = 0
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            while self._pos and done < n_epochs:  # finish an epoch begun by step_sample
                if self.step_sample().applied and self._pos == 0:
                    done += 1
                    if self.diverged:
                        return done
            while done < n_epochs:
                k = min(CHUNK - self._k, n_epochs - done)
                cp = self._checkpoint()
                start_k = self._k
                if _fast.applies(self):
                    _fast.run_epochs(self, k, self._buf, start_k, self._tbuf, self._sbuf)
                    self._k += k
                    self.epoch += k
                else:
                    for _ in range(k):
                        if self._tbuf is not None:
                            self._tbuf[self._k] = self._test_out()  # before the update, like the outputs
                        if self._sbuf is not None:
                            self._sbuf[self._k] = self._start_out()
                        self._buf[self._k] = self._one_epoch()
                        self._k += 1
                        self.epoch += 1
                if not self._finite(self._buf[start_k:self._k]):
                    self._k = start_k
                    self._restore(cp)
                    return done + self._replay_until_divergence(k)
                done += k
                if self._k == CHUNK:
                    self._flush()
        return done

    def _replay_until_divergence(self, k):
        for i in range(k):
            weights_before = self._checkpoint()
            test_out, start_out = self._test_out(), self._start_out()
            out = self._one_epoch()
            if not np.isfinite(out).all():
                self._restore(weights_before)
                self._diverge("the outputs became NaN or infinite in the forward pass")
                return i
            self._record(out, test_out, start_out)
            self.epoch += 1
            if not self._finite(out):
                self._k -= 1
                self._restore(weights_before)
                self._diverge(f"the update with η = {self.eta_at(self.epoch):g} made a weight overflow to infinity")
                return i
        return k  # pragma: no cover - a chunk that failed once fails again

    def _diverge(self, reason):
        """Training stops at this epoch, on the last finite weights, for ``reason``."""
        self.diverged = Divergence(self.epoch, reason)

    # -- on-demand views -------------------------------------------------
    def state(self) -> EpochState:
        """z, a, δ and ∂C/∂W for every layer on the whole training set, at the current weights (``inspect``)."""
        return inspect(self.net, self.X, self.Y, self.variant, X_test=self.X_test, Y_test=self.Y_test,
                       task=self.task, epoch=self.epoch)

    # -- changes by hand, between epochs -------------------------------------
    def set_weight(self, layer, row, col, value):
        """``weights[layer][row][col] = value`` (0-based, row layout: ``row`` is the neuron the link leaves,
        ``col`` the neuron it enters); the run goes on from the changed network."""
        W = self.net.weights[_index("layer", layer, len(self.net.weights))]
        W[_index("row", row, W.shape[0]), _index("col", col, W.shape[1])] = _typed_value(value)

    def set_bias(self, layer, col, value):
        """``biases[layer][col] = value`` (0-based); the run goes on."""
        if not self.net.bias:
            raise ValueError("bias: this network has no biases")
        b = self.net.biases[_index("layer", layer, len(self.net.biases))]
        b[..., _index("bias", col, b.shape[-1])] = _typed_value(value)

    def add_points(self, X, Y):
        """Append training rows (inputs as the network reads them, targets as ``Y``'s columns) without a
        restart: ``set_data`` with the old rows and the new (weights, epoch and history kept; the epoch is
        marked in ``data_changes``)."""
        if self._pos:
            raise ValueError("points: finish the sample-by-sample epoch before adding points")
        if self.variant.bias_per_sample:
            raise ValueError("points: the bias-not-summed rule keeps one bias per sample, so none can be added")
        X, Y = self.net.check_data(X, Y)
        self.set_data(np.vstack([self.X, X]), np.vstack([self.Y, Y]))

def _index(name, value, size):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < size:
        raise ValueError(f"{name}: {value!r} is not a whole number from 0 to {size - 1}")
    return int(value)


def _typed_value(value):
    number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not (number and -MAX_SET_VALUE <= value <= MAX_SET_VALUE):  # NaN fails the comparison; a huge int too
        text = repr(value) if len(repr(value)) <= 40 else repr(value)[:39] + "…"
        raise ValueError(f"value: {text} is not a finite number from {-MAX_SET_VALUE:g} to {MAX_SET_VALUE:g}")
    return float(value)
