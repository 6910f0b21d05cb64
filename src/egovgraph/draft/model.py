"""The drafted facts, as plain records: persons, roles, statements, portals, initiatives, and the reading context."""

from __future__ import annotations

from dataclasses import dataclass, field

from egovgraph.draft.phrases import Quantity
from egovgraph.draft.sentences import Sentence

__all__ = ["Context", "Facts", "Initiative", "Person", "Portal", "Role", "Statement"]


@dataclass
class Person:
    slug: str
    name: str
    given: str
    family: str
    existing: bool
    evidence: list[int] = field(default_factory=list)


@dataclass
class Role:
    person: str
    role: str
    land: str
    existing: bool
    evidence: list[int] = field(default_factory=list)


@dataclass
class Statement:
    slug: str
    text: str
    speaker: str
    sentence: int
    about: list[str] = field(default_factory=list)


@dataclass
class Portal:
    slug: str
    label: str
    land: str | None
    sentence: int
    integrated_into: str | None = None


@dataclass
class Initiative:
    slug: str
    sentence: int
    text: str
    lands: list[str]
    status: str
    temporal: str | None = None
    due: str | None = None
    techs: list[str] = field(default_factory=list)
    themenfelder: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    portals: list[str] = field(default_factory=list)
    quantity: Quantity | None = None
    according_to: str | None = None
    part_of: str | None = None
    strategy: bool = False


@dataclass
class Facts:
    """What the rules drafted from the sentences, and the sentences they could not place."""

    sentences: list[Sentence]
    persons: dict[str, Person] = field(default_factory=dict)
    roles: dict[tuple[str, str, str], Role] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    portals: dict[str, Portal] = field(default_factory=dict)
    unplaced: list[int] = field(default_factory=list)
    unattributed: list[int] = field(default_factory=list)
    skipped: set[int] = field(default_factory=set)

    @property
    def lands(self) -> list[str]:
        found = {land for i in self.initiatives for land in i.lands} | {r.land for r in self.roles.values()}
        return sorted(found)


class Context:
    """What a reader keeps in mind: the section's Land, the paragraph's Land and year, the last speaker."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.block = -1
        self.block_land: str | None = None
        self.block_year: int | None = None
        self.speaker: str | None = None
        self.mentioned: str | None = None
        self.block_speaker: str | None = None
        self.last: Initiative | None = None
