"""Classroom mode (``--classroom``): one network for a whole class, driven by the teacher, followed by students.

The package, and the one thing each module does:

* ``identity.py`` — the teacher token, the join code derived from it, the links, and who a connecting socket is
  (stdlib only).
* ``cli.py`` — the ``--classroom`` options and the banner (stdlib only: building the command line never imports
  Flask).
* ``room.py`` — what a class shares: ``RoomSession`` (the teacher's session, trained on the accepted drawings too),
  ``Submissions`` (the teacher's queue) and ``Mirror`` (the network as the room's messages describe it).
* ``hub.py`` — ``ClassroomHub``, the ``hub.Hub`` of a class: members and roles, welcomes, the messages between
  server processes; ``lesson.py`` — the lesson step the teacher shows and the class's answers.
* ``fanout.py`` — one snapshot encoded once for the class, a gate per student, and ``ClassroomRedisManager``, the one
  Socket.IO client manager the room subscribes to (``subscribe(room, on_internal, on_room_event)``) for its
  messages between processes.
* ``events.py`` / ``routes.py`` — the classroom's socket events and HTTP routes.

It plugs into the app through declared points only: ``hub.Hub`` (open, get, authorize, close, stats, and the
session and gate factories it shares), ``store.Store`` (the accepted drawings' table), ``session.predict`` (one
predict path), the client manager's ``subscribe``, and ``events.handler``.  Nothing outside this package imports
it except ``factory.py``, ``serve_cli.py`` and ``wsgi.py``.
"""
