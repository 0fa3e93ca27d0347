"""Codes people read aloud and copy by hand: follow codes and applications' tracking codes.

Follow codes are what a complainant or a pungli reporter keeps to follow a report without an account.

`ADU-7KQ2-M9XH-3TPA`: a prefix and three groups of four from an alphabet without 0/O, 1/I/L
(the code is read aloud and copied by hand). Only its hash is stored; typed back with spaces,
lower case or without the dashes it still finds the report. A tracking code (`code_random(8)`)
is eight characters of the same alphabet, printed on the receipt beside the registration number.
"""
from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def code_random(length: int) -> str:
    """`length` characters drawn from ALPHABET with the system's secure random source."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def follow_code_new(*, prefix: str) -> str:
    return prefix + "-" + "-".join(code_random(4) for _ in range(3))


def follow_code_normalise(code: str, *, prefix: str) -> str:
    code = re.sub(r"\s", "", (code or "").upper())
    if re.fullmatch(rf"{re.escape(prefix)}[A-Z2-9]{{12}}", code):
        start = len(prefix)
        code = f"{prefix}-{code[start:start + 4]}-{code[start + 4:start + 8]}-{code[start + 8:]}"
    return code


def follow_code_hash(code: str, *, prefix: str) -> str:
    return hashlib.sha256(follow_code_normalise(code, prefix=prefix).encode()).hexdigest()
