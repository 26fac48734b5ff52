"""A from-scratch NumPy backpropagation engine for the playground.

Imports only NumPy and the standard library: it knows nothing of Flask,
sockets or JSON.  See ``network`` for the maths, ``trainer`` for the loops, ``stepping`` for
one sample's four phases and the next real step, ``inspect`` for
the full picture of a network on a dataset (and the class rule),
``datasets`` for the data, ``presets`` for the seed scripts it reproduces and
``build(config)``, ``variants`` for the mistake lab and ``gradcheck`` for
checking any rule against central differences.
"""
from .gradcheck import GradcheckResult, LayerCheck, gradcheck
from .inspect import EpochState
from .network import Gradients, Network, Trace
from .stepping import SampleTrace
from .trainer import Divergence, Trainer
from .variants import CORRECT, VARIANTS, Variant

__all__ = ["Network", "Trace", "Gradients", "Trainer", "Divergence", "EpochState", "SampleTrace",
           "Variant", "VARIANTS", "CORRECT", "gradcheck", "GradcheckResult", "LayerCheck"]
