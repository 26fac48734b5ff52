"""The web layer: turns engine state into HTTP and Socket.IO messages.

``create_app`` is imported lazily so that ``backprop-playground train`` never
imports Flask.
"""


def create_app(config=None):
    from .factory import create_app as _create_app

    return _create_app(config)
