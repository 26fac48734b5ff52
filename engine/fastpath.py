"""The hot loop: many epochs of the correct rule without momentum, full batch, mini-batch or per sample.

It is ``forward`` + ``backprop`` + ``Trainer._apply`` inlined: the same NumPy
operations on the same operands in the same order, so its weights are bit for
bit those of the general path (a test compares them), without building a Trace
and a Gradients per batch.  Three rewrites keep the bits: each layer's weights
are updated as soon as the δ below it has been computed from them; a step with
η = 1 subtracts the gradient itself (1·g is g exactly); and batches taken in
order are row slices of X instead of copies.

Regularisation adds its term to ∂C/∂Wˡ right after BP4, from Wˡ before its
update, as ``backprop`` does.  The trainer uses it only where it applies (``applies``); momentum and the
mistake-lab rules that change backprop take the general path.
"""
from __future__ import annotations

from . import losses as _loss
from .network import penalty_grad


def applies(trainer) -> bool:
    v = trainer.variant
    return (not trainer.momentum and v.sign == 1.0
            and not (v.sigma_prime_on_activation or v.drop_output_sigma_prime or v.bias_per_sample))


def run_epochs(trainer, k, buf, start, test_buf=None, start_buf=None):
    """Train ``k`` epochs from ``trainer.epoch``; the outputs of epoch i's forward passes go to ``buf[start + i]``
    and, with a test set, its outputs at the start of epoch i to ``test_buf[start + i]`` (and the training set's
    to ``start_buf[start + i]`` when given: mini-batches and samples, whose passes see changing weights)."""
    net, X, Y = trainer.net, trainer.X, trainer.Y
    ws, bs, bias = net.weights, net.biases, net.bias
    L = len(ws)
    fns = [act.fn for act in net.acts]
    ders = [act.der for act in net.acts]
    out_act, loss = net.acts[-1], net.loss_name
    mse_elementwise = loss == "mse" and out_act.elementwise
    cancels = _loss.cancels(loss, out_act.name)
    mean = net.reduction == "mean"
    reg, reg_rate = (net.regularization, net.reg_rate) if net.regularized else (None, 0.0)

    def batch_step(x, y, step):
        """Forward, BP1–BP4 and the update for one batch; returns its outputs."""
        a, zs, acts = x, [], [x]
        for l in range(L):
            z = a @ ws[l]
            if bias:
                z = z + bs[l]
            a = fns[l](z)
            zs.append(z)
            acts.append(a)
        if mse_elementwise:
            delta = (a - y) * ders[-1](z, a)  # BP1 for ½‖a − y‖²
        elif cancels:
            delta = a - y
        else:
            delta = _loss.output_delta(loss, out_act, z, a, y)
        if mean:
            delta = delta * (1.0 / a.shape[0])
        for l in range(L - 1, -1, -1):
            nabla_w = acts[l].T @ delta  # BP4
            if reg:
                nabla_w = nabla_w + penalty_grad(reg, reg_rate, ws[l])  # the penalty, with Wˡ before its update
            nabla_b = delta.sum(axis=0) if bias else None  # BP3
            if l:
                delta = (delta @ ws[l].T) * ders[l - 1](zs[l - 1], acts[l])  # BP2, with Wˡ before its update
            if step == 1.0:
                ws[l] -= nabla_w
                if bias:
                    bs[l] -= nabla_b
            else:
                ws[l] -= step * nabla_w
                if bias:
                    bs[l] -= step * nabla_b
        return a

    def test_outputs(a):
        for l in range(L):
            z = a @ ws[l]
            if bias:
                z = z + bs[l]
            a = fns[l](z)
        return a

    n, size = X.shape[0], trainer.batch_size
    in_order = [slice(s, s + size) for s in range(0, n, size)]
    inverse = trainer.schedule == "inverse"
    eta, epoch = trainer.eta, trainer.epoch
    for i in range(k):
        step = eta / (epoch + i + 1) if inverse else eta
        if test_buf is not None:
            test_buf[start + i] = test_outputs(trainer.X_test)
        if start_buf is not None:
            start_buf[start + i] = test_outputs(X)
        if size == n:
            buf[start + i] = batch_step(X, Y, step)
            continue
        out = buf[start + i]
        if trainer.shuffle:
            order = trainer._epoch_order()  # the same generator draws as the general path
            for s in range(0, n, size):
                idx = order[s:s + size]
                out[idx] = batch_step(X[idx], Y[idx], step)
        else:
            for sl in in_order:
                out[sl] = batch_step(X[sl], Y[sl], step)
