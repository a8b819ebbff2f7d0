"""The units service layer that views, commands and the API call.

Functions flush and never commit: the request or command commits once.
"""

from satisfaction.units.loading import BUILTINS, LoadSummary, import_units, load_builtin
from satisfaction.units.parsing import ParsedUnits, parse_units
from satisfaction.units.queries import (
    ancestors,
    current_dataset,
    find_unit,
    get_dataset,
    get_unit,
    list_units,
    parse_level,
)
from satisfaction.units.service_points import (
    add_service_point,
    generated_code,
    list_service_points,
    own_service_points,
)
from satisfaction.units.successions import LinkSummary, link_builtins

__all__ = [
    "BUILTINS",
    "LinkSummary",
    "LoadSummary",
    "ParsedUnits",
    "add_service_point",
    "ancestors",
    "current_dataset",
    "find_unit",
    "generated_code",
    "get_dataset",
    "get_unit",
    "import_units",
    "list_service_points",
    "list_units",
    "link_builtins",
    "load_builtin",
    "own_service_points",
    "parse_level",
    "parse_units",
]
