"""The mistake lab: each confusion from the seed questions as a named learning rule.

A ``Variant`` changes one thing about how the update is computed.  The engine
trains it exactly as written, so it can run beside the correct rule, and
``gradcheck`` says whether its step direction is the true gradient.  Each carries
one sentence a student can read.  Nothing here runs training itself.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    title: str
    explanation: str
    seed: str = ""
    sign: float = 1.0  # -1: the update climbs the gradient
    sigma_prime_on_activation: bool = False  # σ′(σ(z)) instead of σ′(z)
    drop_output_sigma_prime: bool = False  # δᴸ = ∇ₐC, no σ′(zᴸ)
    bias_per_sample: bool = False  # ∂C/∂b = δ, not Σ over the batch
    schedule: str | None = None  # overrides the learning-rate schedule
    init: str | None = None  # overrides the initialiser
    wrong_gradient: bool = False  # gradcheck should flag its step direction
    label: str = ""  # a few words for the mistake lab's button


    def as_dict(self):
        return {"name": self.name, "title": self.title, "label": self.label or self.name,
                "explanation": self.explanation, "seed": self.seed, "wrong_gradient": self.wrong_gradient}


CORRECT = Variant(
    "correct", "The correct rule",
    "W ← W − η·aˡ⁻¹ᵀδˡ with δ from BP1–BP2 and biases summed over the batch: "
    "the step goes straight down the true gradient.", label="correct rule")

VARIANTS = {v.name: v for v in (
    CORRECT,
    Variant(
        "flipped-sign", "Update sign flipped (W += η∇C)",
        "Adding the gradient climbs the cost instead of descending it. Code that writes `W += a.T @ delta` "
        "is right only when its error is y − a: that error already carries the minus.",
        seed="000/001", sign=-1.0, wrong_gradient=True, label="flipped sign"),
    Variant(
        "sigma-prime-of-activation", "σ′ applied to the activation, σ′(σ(z))",
        "σ′ must be taken at z; a helper that already receives a = σ(z) should return a(1 − a). "
        "Calling σ′(a) squashes twice: σ′(σ(z)) stays between 0.20 and 0.25 whatever z is, while the true "
        "σ′(z) = a(1 − a) falls toward 0 as a neuron saturates. Every δ gets the wrong factor, so the step is "
        "not this cost's gradient. It can still go downhill, and because it never shrinks it may even reach a "
        "lower training loss sooner here — a lucky side effect, not a correct rule.",
        seed="000/002", sigma_prime_on_activation=True, wrong_gradient=True, label="σ′(σ(z))"),
    Variant(
        "output-sigma-prime-dropped", "Output σ′ dropped under MSE (δᴸ = a − y)",
        "Without σ′(zᴸ) the output δ is the true gradient of cross-entropy, not of the MSE this "
        "network reports, so gradcheck against MSE fails. It still trains — often faster, since no small σ′ "
        "slows it — because it descends a different cost.",
        seed="002", drop_output_sigma_prime=True, wrong_gradient=True, label="output σ′ dropped"),
    Variant(
        "bias-not-summed", "Bias gradient not summed over the batch",
        "∂C/∂b is Σₙ δₙ; assigning δ itself gives every sample its own bias, so the "
        "bias silently grows to one row per sample. Each training sample then gets an offset of its own, "
        "which can fit the training set better — but the network can no longer answer a new input.",
        seed="003", bias_per_sample=True, wrong_gradient=True, label="bias not summed"),
    Variant(
        "one-over-epoch", "Learning rate η/epoch",
        "The gradient is right but the step shrinks like 1/epoch, so after a few hundred "
        "epochs the network is barely moving although it has not learned yet.",
        seed="003", schedule="inverse", label="η / epoch"),
    Variant(
        "all-positive-init", "All-positive initial weights",
        "The gradient is right but every weight starts in [0, 1), so hidden units start alike "
        "and saturate together, and learning crawls until symmetry breaks.",
        seed="001/003", init="rand", label="all-positive init"),
)}


def get(name: str) -> Variant:
    if not isinstance(name, str) or name not in VARIANTS:
        raise ValueError(f"variant: {name!r} is not one of {', '.join(VARIANTS)}")
    return VARIANTS[name]
