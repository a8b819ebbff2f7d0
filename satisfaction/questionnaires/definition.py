"""A questionnaire version as plain, frozen data: what the files in forms/ describe."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

SATISFACTION = "satisfaction"
EXPECTATION = "expectation"
COMMENT_KEY = "comment"
RULES = ("top-two", "mean")
EXCLUDABLE = ("na", "neutral")
ScoringName = Literal["top-two", "mean"]


def language_of(locale: object) -> str:
    """Return the language part of a locale ("en_GB", Locale("en"), "en-US" -> "en")."""
    return str(locale or "").replace("-", "_").split("_")[0].lower()


@dataclass(frozen=True)
class LocalText:
    """A text in Vietnamese and English."""

    vi: str
    en: str

    def text(self, locale: object = None) -> str:
        """Return the text in the locale's language, falling back to Vietnamese."""
        if language_of(locale) == "en" and self.en:
            return self.en
        return self.vi

    def to_dict(self) -> dict[str, str]:
        """Return {"vi": ..., "en": ...}."""
        return {"vi": self.vi, "en": self.en}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> "LocalText":
        """Build from {"vi": ..., "en": ...}."""
        return cls(vi=data["vi"], en=data["en"])


@dataclass(frozen=True)
class Choice:
    """One answer a scale offers: its stored value and its label."""

    value: int
    label: LocalText

    def to_dict(self) -> dict[str, Any]:
        """Return the choice as plain data."""
        return {"value": self.value, "label": self.label.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Choice":
        """Build from plain data."""
        return cls(value=data["value"], label=LocalText.from_dict(data["label"]))


@dataclass(frozen=True)
class Scale:
    """The answers of a kind of question, in the order they are shown."""

    key: str
    instruction: LocalText
    choices: tuple[Choice, ...]
    neutral: int | None = None
    not_applicable: LocalText | None = None

    @property
    def values(self) -> tuple[int, ...]:
        """Return the values in display order."""
        return tuple(choice.value for choice in self.choices)

    @property
    def lowest(self) -> int:
        """Return the smallest value."""
        return min(self.values)

    @property
    def highest(self) -> int:
        """Return the largest value."""
        return max(self.values)

    def to_dict(self) -> dict[str, Any]:
        """Return the scale as plain data."""
        return {
            "instruction": self.instruction.to_dict(),
            "choices": [choice.to_dict() for choice in self.choices],
            "neutral": self.neutral,
            "not_applicable": self.not_applicable.to_dict() if self.not_applicable else None,
        }

    @classmethod
    def from_dict(cls, key: str, data: dict[str, Any]) -> "Scale":
        """Build from plain data."""
        na = data.get("not_applicable")
        return cls(
            key=key,
            instruction=LocalText.from_dict(data["instruction"]),
            choices=tuple(Choice.from_dict(c) for c in data["choices"]),
            neutral=data.get("neutral"),
            not_applicable=LocalText.from_dict(na) if na else None,
        )


@dataclass(frozen=True)
class ScoringRule:
    """How answers become an item index (design: domain.md section 3)."""

    rule: ScoringName
    positive: tuple[int, ...] = (4, 5)
    exclude: tuple[str, ...] = ("na",)
    expectation_positive: tuple[int, ...] = (2, 3)

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as plain data."""
        return {
            "rule": self.rule,
            "positive": list(self.positive),
            "exclude": list(self.exclude),
            "expectation_positive": list(self.expectation_positive),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ScoringRule":
        """Build from plain data."""
        return cls(
            rule=data["rule"],
            positive=tuple(data["positive"]),
            exclude=tuple(data["exclude"]),
            expectation_positive=tuple(data["expectation_positive"]),
        )


@dataclass(frozen=True)
class Item:
    """One statement rated on the satisfaction scale."""

    key: str
    text: LocalText
    allow_na: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the item as plain data."""
        return {"key": self.key, "text": self.text.to_dict(), "allow_na": self.allow_na}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Item":
        """Build from plain data."""
        return cls(data["key"], LocalText.from_dict(data["text"]), bool(data["allow_na"]))


@dataclass(frozen=True)
class Element:
    """One of the elements (yếu tố) the index is made of, with its items."""

    key: str
    title: LocalText
    items: tuple[Item, ...]
    note: LocalText | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the element as plain data."""
        return {
            "key": self.key,
            "title": self.title.to_dict(),
            "note": self.note.to_dict() if self.note else None,
            "items": [item.to_dict() for item in self.items],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Element":
        """Build from plain data."""
        items = tuple(Item.from_dict(i) for i in data["items"])
        note = LocalText.from_dict(data["note"]) if data.get("note") else None
        return cls(data["key"], LocalText.from_dict(data["title"]), items, note)


@dataclass(frozen=True)
class Expectation:
    """One aspect the citizen may want improved, answered on the expectation scale."""

    key: str
    text: LocalText

    def to_dict(self) -> dict[str, Any]:
        """Return the expectation as plain data."""
        return {"key": self.key, "text": self.text.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Expectation":
        """Build from plain data."""
        return cls(data["key"], LocalText.from_dict(data["text"]))


@dataclass(frozen=True)
class Comment:
    """The free-text comment at the end of the form."""

    prompt: LocalText
    max_length: int
    key: str = COMMENT_KEY

    def to_dict(self) -> dict[str, Any]:
        """Return the comment question as plain data."""
        return {"prompt": self.prompt.to_dict(), "max_length": self.max_length}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Comment":
        """Build from plain data."""
        return cls(LocalText.from_dict(data["prompt"]), int(data["max_length"]))


@dataclass(frozen=True)
class Questionnaire:
    """One version of a questionnaire: elements, items, expectations, comment, scales, scoring."""

    key: str
    version: int
    title: LocalText
    intro: LocalText
    scoring: ScoringRule
    satisfaction_scale: Scale
    elements: tuple[Element, ...]
    expectation_scale: Scale | None = None
    expectations: tuple[Expectation, ...] = ()
    comment: Comment | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        """Return every item in printed order."""
        return tuple(item for element in self.elements for item in element.items)

    @property
    def item_keys(self) -> tuple[str, ...]:
        """Return the keys of every item in printed order."""
        return tuple(item.key for item in self.items)

    @property
    def expectation_keys(self) -> tuple[str, ...]:
        """Return the keys of the expectations in printed order."""
        return tuple(expectation.key for expectation in self.expectations)

    @property
    def answer_keys(self) -> tuple[str, ...]:
        """Return every answer's key in printed order: items, expectations, comment."""
        comment = (self.comment.key,) if self.comment else ()
        return self.item_keys + self.expectation_keys + comment

    def element_of(self, item_key: str) -> Element:
        """Return the element holding an item; KeyError if no item has that key."""
        for element in self.elements:
            if any(item.key == item_key for item in element.items):
                return element
        raise KeyError(item_key)

    def to_dict(self) -> dict[str, Any]:
        """Return the whole definition as JSON-ready data (design.md section 4)."""
        scales = {SATISFACTION: self.satisfaction_scale.to_dict()}
        if self.expectation_scale:
            scales[EXPECTATION] = self.expectation_scale.to_dict()
        return {
            "key": self.key,
            "version": self.version,
            "title": self.title.to_dict(),
            "intro": self.intro.to_dict(),
            "scoring": self.scoring.to_dict(),
            "scales": scales,
            "elements": [element.to_dict() for element in self.elements],
            "expectations": [expectation.to_dict() for expectation in self.expectations],
            "comment": self.comment.to_dict() if self.comment else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Questionnaire":
        """Build from the output of to_dict() (trusted: the loader validates files)."""
        scales = data["scales"]
        expectation = scales.get(EXPECTATION)
        comment = data.get("comment")
        return cls(
            key=data["key"],
            version=int(data["version"]),
            title=LocalText.from_dict(data["title"]),
            intro=LocalText.from_dict(data["intro"]),
            scoring=ScoringRule.from_dict(data["scoring"]),
            satisfaction_scale=Scale.from_dict(SATISFACTION, scales[SATISFACTION]),
            elements=tuple(Element.from_dict(e) for e in data["elements"]),
            expectation_scale=Scale.from_dict(EXPECTATION, expectation) if expectation else None,
            expectations=tuple(Expectation.from_dict(e) for e in data.get("expectations", [])),
            comment=Comment.from_dict(comment) if comment else None,
        )

    def content_hash(self) -> str:
        """Return the sha256 of the canonical JSON: file comments and layout do not count."""
        canonical = json.dumps(
            self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
