"""Tell text that cannot be Vietnamese: a legacy code page, "?" for letters, mojibake."""

import re
import unicodedata

from flask_babel import gettext as _

from satisfaction.core.errors import Problem, at_line

# A "?" inside a word ("C?p gi?y") or starting one ("?i?n"): what a code page without
# Vietnamese letters writes for each letter it lacks. A "?" ending a question is fine.
LOST_LETTER = re.compile(r"[^\W\d_]\?[^\W\d_]|(?:^|\s)\?[^\W\d_]")
# Characters that UTF-8 text read as Windows-1252 or Latin-1 is made of ("Cáº¥p", "Ä‘").
LATIN = re.compile(r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                   r"\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                   r"\u20ac\u2122]{2}")  # fmt: skip
MAX_REPORTED = 20


def save_as_utf8() -> str:
    """Say how to save a spreadsheet as UTF-8 from Excel."""
    return _('In Excel choose File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)", '
             "or save it as .xlsx, and send the file again.")  # fmt: skip


def legacy_code_page(name: str) -> Problem:
    """Return the problem of a file that is not UTF-8 (a Windows or other legacy code page)."""
    message = _("The file is not in UTF-8 (it was saved in an older encoding such as Windows-1252 "
                "or TCVN3): its Vietnamese letters cannot be read.")  # fmt: skip
    return Problem(name, f"{message} {save_as_utf8()}")


def is_mojibake(cell: str) -> bool:
    """Tell whether a cell is UTF-8 read as Windows-1252 or Latin-1 ("Cáº¥p giáº¥y")."""
    if not LATIN.search(cell):
        return False
    for code_page in ("cp1252", "latin-1"):
        try:
            fixed = cell.encode(code_page).decode("utf-8")
        except UnicodeError:
            continue
        if fixed != cell:
            return True
    return False


def text_problems(header: list[str], lines: list[tuple[int, list[str]]]) -> list[Problem]:
    """Name every cell whose letters were lost ("?") or garbled (mojibake); at most a few."""
    problems: list[Problem] = []
    for line, cells in lines:
        for index, cell in enumerate(cells):
            if cell.isascii() and "?" not in cell:
                continue
            column = header[index] if index < len(header) and line != 1 else None
            if LOST_LETTER.search(cell):
                message = _('"%(text)s": letters were replaced by "?" when the file was saved.',
                            text=cell[:60])  # fmt: skip
            elif is_mojibake(cell):
                message = _('"%(text)s": the letters are garbled (UTF-8 read as another '
                            "encoding).", text=cell[:60])  # fmt: skip
            else:
                continue
            problems.append(Problem(at_line(line, column), message))
            if len(problems) >= MAX_REPORTED:
                return _with_advice(problems)
    return _with_advice(problems) if problems else []


def _with_advice(problems: list[Problem]) -> list[Problem]:
    return [*problems, Problem("", save_as_utf8())]


def column_key(title: str, aliases: dict[str, str]) -> str:
    """Return a column title as a key: lower case, no accents (đ as d), words joined by "_";
    then its name in the aliases, if it has one ("Mã thủ tục" -> "ma_thu_tuc" -> ...)."""
    plain = unicodedata.normalize("NFKD", title.strip().lower().replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    key = "_".join(plain.replace("-", " ").split())
    return aliases.get(key, key)
