"""The wire format: what the server sends, made in one place (docs/protocol.md is the contract).

- ``encode`` — engine state → JSON-able payloads (``network``, ``dataset``, ``trace``, ``predict``; the snapshot's
  pieces), NaN-free, samples capped, curves down-sampled.
- ``snapshot`` — the one snapshot serialiser: ``live`` and ``replay`` frames for the solo page, the mistake lab's
  companion, ``seek`` and the classroom.
- ``parts`` — the optional parts (``curve``, ``boundary``) named once, the one ``carry`` rule every gate uses
  (``app/flow.py``, ``app/fanout.py``; the page's ``static/core/wire.js`` reads the names from ``/api/schema``), and
  the ``Pacer`` that decides which of them a frame carries.
"""
