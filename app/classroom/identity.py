"""Classroom mode's identity: the teacher token, the join code, the links, and who a connecting socket is.

A class has one secret, the teacher token (a strong random one unless ``--teacher-token`` gives it).  The
short join code students type is derived from it (an HMAC), so every server process started with the same
token shows the same code, and knowing the code tells nothing about the token.  A socket authenticates at
connect: ``{"token": T}`` is the teacher, ``{"code": C, "name"?: N}`` a student (the display name is
optional and sanitised); anything else is refused before a session exists.  Tokens are compared in
constant time and never logged or echoed.

Nothing here holds a room, a network or a socket: see ``room.py`` (the shared session, submissions) and
``events.py`` (the socket events).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import socket
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1: nothing to misread on a projector
CODE_LENGTH = 6
TOKEN_RE = re.compile(r"^[A-Za-z0-9_.~-]{8,128}$")
MAX_NAME = 24
NAME_KEEP = set(" .'-_")


class Refused(Exception):
    """A connection that is not let in; the message is what the browser is told."""


def new_token():
    return secrets.token_urlsafe(24)  # 192 bits


def check_token_format(token):
    """``--teacher-token``: 8–128 URL-safe characters (it travels in a link)."""
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        raise ValueError("teacher token: use 8 to 128 characters from letters, digits and _ . ~ -")
    return token


def join_code(token):
    """The short code students type, derived from the token (same token, same code, on every process)."""
    digest = hmac.new(token.encode(), b"backprop-playground join code", hashlib.sha256).digest()
    n = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        n, k = divmod(n, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[k])
    return "".join(chars)


def normalize_code(text):
    """What a student typed, as a code: upper case, spaces and dashes dropped."""
    if not isinstance(text, str) or len(text) > 32:
        return ""
    return re.sub(r"[\s-]", "", text.upper())


def show_code(code):
    return f"{code[:3]}-{code[3:]}"


def same_secret(given, expected):
    """Constant-time comparison of two strings (``hmac.compare_digest``); False for anything not a string."""
    if not isinstance(given, str) or len(given) > 256:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def clean_name(raw):
    """A display name: NFKC, letters/digits/spaces and . ' - _ only, whitespace collapsed, ≤ 24 characters;
    None when nothing is left (the room then says "Student 7")."""
    if not isinstance(raw, str):
        return None
    text = unicodedata.normalize("NFKC", raw[:200])
    kept = "".join(c if (c in NAME_KEEP or unicodedata.category(c)[0] in "LNM") else " " for c in text)
    kept = " ".join(kept.split())[:MAX_NAME].strip()
    return kept or None


def lan_address():
    """This machine's address on the local network, as best known without sending anything (else loopback)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.254.254.254", 9))  # UDP connect only picks a route: no packet is sent
            address = s.getsockname()[0]
        if address and not address.startswith("127."):
            return address
    except OSError:
        pass
    return "127.0.0.1"


@dataclass
class Classroom:
    token: str
    code: str
    teacher_base: str  # where the teacher opens the page, e.g. http://127.0.0.1:5000/
    student_base: str  # where students reach this server, e.g. http://192.168.1.23:5000/

    @classmethod
    def make(cls, token=None, teacher_base="http://127.0.0.1:5000/", student_base=None):
        token = check_token_format(token) if token else new_token()
        return cls(token, join_code(token), teacher_base, student_base or teacher_base)

    @property
    def teacher_url(self):
        """The teacher's link; the token sits in the fragment, which browsers never send to the server."""
        return f"{self.teacher_base}#teacher={quote(self.token, safe='')}"

    @property
    def join_page(self):
        return f"{self.student_base}join"

    @property
    def join_url(self):
        """The link (and QR code) that joins at once: the join page with the code filled in."""
        return f"{self.join_page}?code={self.code}"

    def public(self):
        """What ``GET /api/classroom`` tells the teacher (never the token)."""
        return {"code": self.code, "code_display": show_code(self.code), "join_url": self.join_url,
                "join_page": self.join_page}

    def role_for(self, auth):
        """('teacher', None) or ('student', name) for a socket's connect ``auth``; ``Refused`` otherwise."""
        if not isinstance(auth, dict):
            raise Refused("classroom: this server runs a class; open the join link or type the class code")
        if "token" in auth:
            if not same_secret(auth.get("token"), self.token):
                raise Refused("classroom: wrong teacher token")
            return "teacher", None
        if "code" in auth:
            if normalize_code(auth.get("code")) != self.code:
                raise Refused("classroom: no class has that code; check the code on the teacher's screen")
            return "student", clean_name(auth.get("name"))
        raise Refused("classroom: this server runs a class; open the join link or type the class code")
