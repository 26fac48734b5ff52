"""The Flask-SocketIO object, made at import and bound to an app by ``create_app`` (``init_app``).

Module-level so that ``events.py`` can register handlers on it before any app
exists, as in Flask-SocketIO-Chat.  Nothing else lives here.
"""
from flask_socketio import SocketIO

socketio = SocketIO()
