"""The code printed on each form: 60 random bits in Crockford base32 with a check character.

A code is twelve data characters and one check character, grouped for reading aloud and typing:
``7KQ2-M9XD-4TPA-Z``. Typing is forgiving: case, spaces and dashes do not matter, and the letters
people confuse with digits are folded (O -> 0, I and L -> 1).

The check character is the Damm check over GF(32): each step multiplies the running value by the
field element x (mod x^5 + x^2 + 1) and adds the next character. Multiplying by a constant other
than 0 and 1 makes it catch every single wrong character and every swap of two neighbours.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
DATA_LENGTH = 12  # 12 x 5 = 60 random bits
LENGTH = DATA_LENGTH + 1
GROUPS = (4, 4, 4, 1)
_POLY = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)


class CodeError(ValueError):
    """Typed text cannot be a valid code.

    reason is "short" or "long" (typed: how many characters were typed, spaces and dashes
    left out), "character" (character: the first one that cannot be in a code, as typed, or
    its code point when it would not show) or "check" (the check character disagrees: a typo).
    """

    def __init__(self, reason: str, typed: int = 0, character: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.typed = typed
        self.character = character


def _times_x(value: int) -> int:
    value <<= 1
    return value ^ _POLY if value & 0b100000 else value


def _check_value(values: list[int]) -> int:
    interim = 0
    for value in values:
        interim = _times_x(interim) ^ value
    return interim


def check_character(data: str) -> str:
    """Return the check character of the data characters."""
    interim = _check_value([VALUES[c] for c in data])
    return ALPHABET[_times_x(interim)]


def new_code() -> str:
    """Return a new random code, ungrouped (13 characters)."""
    number = secrets.randbits(5 * DATA_LENGTH)
    data = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(DATA_LENGTH))
    return data + check_character(data)


def normalize(typed: str) -> str:
    """Return the canonical ungrouped code for what a person typed, or raise CodeError."""
    kept = "".join(typed.split()).replace("-", "")
    for char in kept:
        if char.upper().translate(FOLD) not in VALUES:
            raise CodeError("character", len(kept), _shown(char))
    text = kept.upper().translate(FOLD)
    if len(text) != LENGTH:
        raise CodeError("short" if len(text) < LENGTH else "long", len(text))
    if _check_value([VALUES[c] for c in text]) != 0:
        raise CodeError("check", len(text))
    return text


def _shown(char: str) -> str:
    """Return a character as a person can see it: itself, or its code point if it would not show."""
    return char if char.isprintable() else f"U+{ord(char):04X}"


def group(code: str) -> str:
    """Return the code with dashes between its groups, for printing and showing."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(code[start : start + size])
        start += size
    return "-".join(parts)
