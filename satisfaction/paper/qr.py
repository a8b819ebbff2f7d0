"""The QR symbol of each form, encoded fast and drawn as a tiny 1-bit image.

Every QR of a batch holds the same prefix (``{base_url}/s/``) and a code of the same length, at a
fixed version, error correction level and mask. With all of those fixed, the symbol is an affine
function of the code's bits over GF(2): Reed-Solomon parity is linear, masking is an XOR and the
placement is a permutation. So ``QrStamp`` asks the ``qrcode`` package once for the symbol of a
reference code and once per flipped bit of it, and afterwards builds each symbol by XOR-ing the
contributions of the bits in which a code differs from the reference: a few microseconds instead
of half a millisecond (fixed mask) or several (the library's search over all eight masks).
``reference_modules`` gives the library's own answer, and the tests compare the two.
"""

import re
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.util import MODE_8BIT_BYTE, QRData, lost_point

LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
# The mask is chosen once per prefix, as the best one for this sample code (any code would do).
SAMPLE_CODE = "7KQ2M9XD4TPAZ"
DARK_RUN = re.compile("1+")
BASE_BYTE = b"0"


def survey_url(base_url: str, code: str) -> str:
    """Return what a form's QR holds: the survey page of its code under PUBLIC_BASE_URL."""
    return f"{base_url.rstrip('/')}/s/{code}"


def desk_url(base_url: str, point_code: str) -> str:
    """Return what a desk poster's QR holds: the poster page of a service point."""
    return f"{base_url.rstrip('/')}/d/{point_code}"


def symbol_of(text: str, level: str = "M") -> list[list[bool]]:
    """Return the QR symbol of any text (the smallest version, the library's best mask)."""
    symbol = qrcode.QRCode(None, LEVELS[level], border=0)
    symbol.add_data(QRData(text.encode("utf-8"), mode=MODE_8BIT_BYTE))
    symbol.make(fit=True)
    return [[bool(module) for module in row] for row in symbol.modules]


def image_operators_of(rows: list[list[bool]], x: float, y: float, side: float) -> str:
    """Return PDF operators painting a symbol (rows of booleans) as a 1-bit image; see paint."""
    size, row_bytes = len(rows), (len(rows) + 7) // 8
    data = bytearray()
    for row in rows:
        bits = 0
        for module in row:
            bits = (bits << 1) | module
        data += (bits << (row_bytes * 8 - size)).to_bytes(row_bytes, "big")
    return paint(bytes(data), size, x, y, side)


def paint(image: bytes, size: int, x: float, y: float, side: float) -> str:
    """Return PDF operators painting 1-bit image rows, side points wide, lower-left at (x, y)."""
    return (
        f"q 0 g {side:.3f} 0 0 {side:.3f} {x:.3f} {y:.3f} cm BI /IM true /W {size}"
        f" /H {size} /BPC 1 /D [1 0] /F /AHx ID {image.hex()}> EI Q"
    )


def reference_modules(data: bytes, version: int, level: str, mask: int) -> list[list[bool]]:
    """Return the symbol of data (byte mode) as the qrcode package draws it, rows of booleans."""
    symbol = qrcode.QRCode(version, LEVELS[level], border=0, mask_pattern=mask)
    symbol.add_data(QRData(data, mode=MODE_8BIT_BYTE))
    symbol.make(fit=False)
    return [[bool(module) for module in row] for row in symbol.modules]


def _smallest_version(length: int, level: str) -> int:
    symbol = qrcode.QRCode(None, LEVELS[level], border=0)
    symbol.add_data(QRData(BASE_BYTE * length, mode=MODE_8BIT_BYTE))
    symbol.make(fit=True)
    return symbol.version


def _best_mask(data: bytes, version: int, level: str) -> int:
    penalties = [lost_point(reference_modules(data, version, level, m)) for m in range(8)]
    return penalties.index(min(penalties))


class QrStamp:
    """Build the QR symbols of one prefix followed by codes of one length."""

    def __init__(self, prefix: str, code_length: int, level: str = "M"):
        self.prefix = prefix.encode("ascii")
        self.code_length = code_length
        self.level = level
        total = len(self.prefix) + code_length
        self.version = _smallest_version(total, level)
        self.size = self.version * 4 + 17
        sample = (SAMPLE_CODE * (code_length // len(SAMPLE_CODE) + 1))[:code_length]
        self.mask = _best_mask(self.prefix + sample.encode("ascii"), self.version, level)
        self.row_bytes = (self.size + 7) // 8
        self._stride = self.row_bytes * 8
        # The symbol of an all-"0" code, and what flipping each bit of it changes. (Not an
        # all-NUL code: qrcode's Reed-Solomon division fails on some all-zero blocks.)
        self._base = self._pack(self._reference(BASE_BYTE * code_length))
        self._bits = []
        for index in range(code_length):
            for bit in range(8):
                data = bytearray(BASE_BYTE * code_length)
                data[index] ^= 0x80 >> bit
                self._bits.append(self._pack(self._reference(bytes(data))) ^ self._base)

    def _reference(self, code: bytes) -> list[list[bool]]:
        return reference_modules(self.prefix + code, self.version, self.level, self.mask)

    def _pack(self, rows: list[list[bool]]) -> int:
        """Return rows as one integer whose big-endian bytes are the 1-bit image, row by row."""
        value = 0
        for row in rows:
            bits = 0
            for module in row:
                bits = (bits << 1) | module
            value = (value << self._stride) | (bits << (self._stride - self.size))
        return value

    def packed(self, code: str) -> int:
        """Return the symbol of a code as the packed integer (see _pack)."""
        data = code.encode("ascii")
        if len(data) != self.code_length:
            raise ValueError(f"a code of {self.code_length} characters was expected")
        value, bits, base = self._base, self._bits, BASE_BYTE[0]
        for index, byte in enumerate(data):
            flipped, start = byte ^ base, index * 8
            for bit in range(8):
                if flipped & (0x80 >> bit):
                    value ^= bits[start + bit]
        return value

    def modules(self, code: str) -> list[list[bool]]:
        """Return the symbol of a code as rows of booleans (True = dark)."""
        image = self.image_bytes(code)
        return [
            [bool(image[r * self.row_bytes + c // 8] & (0x80 >> (c % 8))) for c in range(self.size)]
            for r in range(self.size)
        ]

    def image_bytes(self, code: str) -> bytes:
        """Return the symbol as 1-bit image rows (1 = dark, padded to whole bytes)."""
        return self.packed(code).to_bytes(self.row_bytes * self.size, "big")

    def image_operators(self, code: str, x: float, y: float, side: float) -> str:
        """Return PDF operators painting the symbol, side points wide, lower-left at (x, y)."""
        return paint(self.image_bytes(code), self.size, x, y, side)

    def runs_operators(self, code: str, x: float, y: float, side: float) -> str:
        """Return PDF operators painting the symbol as one rectangle per run of dark modules.

        The alternative to image_operators, kept to measure against it (bench/paper_render.py).
        """
        step = side / self.size
        image, width = self.image_bytes(code), self.row_bytes
        parts = ["q 0 g"]
        for r in range(self.size):
            bits = format(int.from_bytes(image[r * width : (r + 1) * width], "big"), "b")
            top = y + side - (r + 1) * step
            for run in DARK_RUN.finditer(bits.zfill(width * 8)):
                left, length = x + run.start() * step, (run.end() - run.start()) * step
                parts.append(f"{left:.3f} {top:.3f} {length:.3f} {step:.3f} re")
        parts.append("f Q")
        return "\n".join(parts)


@lru_cache(maxsize=8)
def stamp_for(base_url: str, code_length: int, level: str = "M") -> QrStamp:
    """Return the (cached) stamp for survey URLs under base_url."""
    return QrStamp(survey_url(base_url, ""), code_length, level)
