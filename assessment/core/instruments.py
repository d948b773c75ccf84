"""Instruments: bilingual YAML files, validated on load.

An instrument file (``assessment/instruments/<id>.yaml``; format in
``docs/instrument-format.md``) drives the template, ingestion, scoring, report
texts and roadmap. Nothing in Python names an item.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assessment.core.config import INSTRUMENT_DIR
from assessment.core.exceptions import InstrumentError
from assessment.core.i18n import SAFE_LOADER, note
from assessment.core.references import parse_keys, unknown_keys

__all__ = [
    "DONT_KNOW",
    "LANGUAGES",
    "SCALE_RANGE",
    "TENSION_SOURCES",
    "Instrument",
    "Item",
    "Text",
    "instrument_table",
    "list_instruments",
    "load_instrument",
    "profile_instrument",
    "staged_instrument",
]

LANGUAGES = ("nl", "en")
#: answer range per scored item type
SCALE_RANGE = {"stages4": (1, 4), "likert5": (1, 5), "nps": (0, 10)}
SCORED_TYPES = tuple(SCALE_RANGE)
#: item types that offer "don't know / not applicable" (counted as not answered)
DONT_KNOW_TYPES = ("stages4", "likert5")
#: the machine value of a "don't know / not applicable" answer (forms write it, ingest reads it)
DONT_KNOW = "dont_know"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(_Model):
    """A user-facing string in Dutch and English."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` ('nl' or 'en')."""
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
        return getattr(self, lang)


class Option(Text):
    """An answer option; ``value`` names it for `choice` items.

    ``former`` holds the option's wordings in earlier versions of the instrument: an
    answer given with one of them still reads as this option (the same level).
    """

    value: str | None = None
    former: list[Text] = []


class DontKnow(Text):
    """The "don't know / not applicable" answer of a scale; ``also`` lists other spellings read."""

    also: list[str] = []


class Level(_Model):
    """A stage (level) of a staged instrument."""

    id: str
    label: Text
    meaning: Text | None = None


class Band(_Model):
    """Mean scores in [lower, upper) map to ``level`` (the last band includes its upper)."""

    level: str
    lower: float
    upper: float


class Scale(_Model):
    """The instrument's answer scale."""

    type: Literal["stages4", "likert5"]
    labels: list[Text] = []
    dont_know: DontKnow | None = None

    @property
    def min(self) -> int:
        """Lowest answer value."""
        return SCALE_RANGE[self.type][0]

    @property
    def max(self) -> int:
        """Highest answer value."""
        return SCALE_RANGE[self.type][1]


class Interface(_Model):
    """An interface between two departments (alignment instrument)."""

    id: str
    code: str
    title: Text


class Dimension(_Model):
    """A dimension (or discipline) the items are grouped into."""

    id: str
    title: Text
    description: Text | None = None
    implications: dict[str, Text] | None = None


#: the three causes of marketing–sales tension an item may be tagged with (Kotler, Rackham &
#: Krishnaswamy 2006; the Hogeschool Utrecht article, art001), in its order
TENSION_SOURCES = ("economic", "cultural", "organisational")


class Item(_Model):
    """One question."""

    id: str
    type: Literal["stages4", "likert5", "nps", "choice", "text"]
    text: Text
    dimension: str | None = None
    interface: str | None = None
    tension: Literal[TENSION_SOURCES] | None = None
    reverse: bool = False
    options: list[Option] = []
    former: list[Text] = []

    @property
    def offers_dont_know(self) -> bool:
        """Whether the item offers "don't know / not applicable" (``stages4`` and ``likert5``)."""
        return self.type in DONT_KNOW_TYPES

    @property
    def scored(self) -> bool:
        """Whether the item contributes to a score."""
        return self.type in SCORED_TYPES

    @property
    def range(self) -> tuple[int, int]:
        """Lowest and highest allowed answer value of a scored item."""
        return SCALE_RANGE[self.type]


class Recommendation(_Model):
    """The step from one level to the next for one dimension (of one interface).

    On an instrument with interfaces every recommendation names its ``interface``, and
    its actions name only that interface's departments; without interfaces it has none.
    """

    interface: str | None = None
    dimension: str
    from_: str = Field(alias="from")
    to: str
    actions: list[Text] = Field(min_length=1)
    why: Text
    source: str
    caveat: Text | None = None


class Profile(_Model):
    """Parameters of the value-discipline profile rule (Treacy & Wiersema)."""

    threshold: float
    excellence: float
    lead_margin: float
    declared_item: str | None = None


class Instrument(_Model):
    """A validated instrument; see ``docs/instrument-format.md``."""

    id: str
    version: str
    title: Text
    description: Text | None = None
    source: str | None = None
    basis: Text | None = None
    scale: Scale
    levels: list[Level] = []
    bands: list[Band] = []
    interfaces: list[Interface] = []
    dimensions: list[Dimension] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    recommendations: list[Recommendation] = []
    profile: Profile | None = None
    path: str | None = Field(default=None, exclude=True)

    @property
    def scored_items(self) -> list[Item]:
        """Items that contribute to scores, in file order."""
        return [i for i in self.items if i.scored]

    def item(self, item_id: str) -> Item:
        """Return the item with this id."""
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(f"instrument {self.id!r} has no item {item_id!r}")

    def dimension(self, dimension_id: str) -> Dimension:
        """Return the dimension with this id."""
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(f"instrument {self.id!r} has no dimension {dimension_id!r}")

    def interface(self, interface_id: str) -> Interface:
        """Return the interface with this id."""
        for i in self.interfaces:
            if i.id == interface_id:
                return i
        raise KeyError(f"instrument {self.id!r} has no interface {interface_id!r}")

    def level(self, level_id: str) -> Level:
        """Return the level with this id."""
        for lv in self.levels:
            if lv.id == level_id:
                return lv
        raise KeyError(f"instrument {self.id!r} has no level {level_id!r}")

    def recommendation(
        self, interface: str | None, dimension: str, from_level: str
    ) -> Recommendation | None:
        """Return the step from ``from_level`` for ``dimension`` of ``interface``.

        Parameters
        ----------
        interface : str or None
            The interface id; None on an instrument without interfaces.
        dimension : str
            The dimension id.
        from_level : str
            The current level id.

        Returns
        -------
        Recommendation or None
            None at the top level (there is no next step).

        Examples
        --------
        >>> rec = load_instrument("alignment").recommendation("sales_service", "roles", "undefined")
        >>> (rec.interface, rec.dimension, rec.from_, rec.to)
        ('sales_service', 'roles', 'undefined', 'defined')
        """
        for r in self.recommendations:
            if r.interface == interface and r.dimension == dimension and r.from_ == from_level:
                return r
        return None


def _consistency_problems(inst: Instrument) -> list[str]:
    """Return every cross-reference problem of a parsed instrument."""
    out: list[str] = []
    dims = [d.id for d in inst.dimensions]
    ifaces = [i.id for i in inst.interfaces]
    levels = [lv.id for lv in inst.levels]
    for kind, ids in (("dimension", dims), ("interface", ifaces), ("level", levels)):
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        if dupes:
            out.append(f"{kind} ids are not unique: {', '.join(dupes)}")
    item_ids = [i.id for i in inst.items]
    dupes = sorted({x for x in item_ids if item_ids.count(x) > 1})
    if dupes:
        out.append(f"item ids are not unique: {', '.join(dupes)}")
    for lang in LANGUAGES:
        texts = [i.text.get(lang).strip().casefold() for i in inst.items]
        same = sorted({t for t in texts if texts.count(t) > 1})
        if same:
            out.append(f"question texts ({lang}) are not unique: {same[0]!r}")
    if any(i.offers_dont_know for i in inst.items) and inst.scale.dont_know is None:
        out.append("scale: needs dont_know, the \"don't know / not applicable\" answer that "
                   "every stages4 and likert5 item offers")
    out.extend(_former_problems(inst))
    if inst.scale.type == "likert5" and len(inst.scale.labels) != 5:
        out.append(f"scale: likert5 needs exactly 5 labels, found {len(inst.scale.labels)}")
    for item in inst.items:
        where = f"item {item.id}"
        if item.scored and item.type != inst.scale.type and item.type != "nps":
            out.append(f"{where}: type {item.type} does not match the scale {inst.scale.type}")
        if item.type == "nps":
            out.extend(_nps_problems(item, dims))
        elif item.scored and item.dimension not in dims:
            out.append(f"{where}: dimension {item.dimension!r} is not one of {dims}")
        if ifaces and item.scored and item.type != "nps" and item.interface not in ifaces:
            out.append(f"{where}: interface {item.interface!r} is not one of {ifaces}")
        if item.type == "stages4" and len(item.options) != 4:
            out.append(
                f"{where}: a stages4 item needs exactly 4 options, found {len(item.options)}"
            )
        if item.type == "choice":
            if not item.options or any(o.value is None for o in item.options):
                out.append(f"{where}: every option of a choice item needs a value")
        for lang in LANGUAGES:
            opts = [o.get(lang).strip().casefold() for o in item.options]
            if len(set(opts)) != len(opts):
                out.append(f"{where}: option texts ({lang}) are not unique")
    scale_items = [i for i in inst.scored_items if i.type != "nps"]
    scored_dims = {i.dimension for i in scale_items}
    for d in dims:
        if d not in scored_dims:
            out.append(f"dimension {d}: has no scored item")
        elif not ifaces and sum(1 for i in scale_items if i.dimension == d) < 2:
            out.append(
                f"dimension {d}: needs at least 2 scored items (agreement and reliability "
                "are computed over a dimension's items), has 1"
            )
    if ifaces:
        for iface in ifaces:
            for d in dims:
                n = sum(1 for i in inst.scored_items if i.interface == iface and i.dimension == d)
                if n < 2:
                    out.append(
                        f"interface {iface} x dimension {d}: needs at least 2 items, has {n}"
                    )
    if inst.scale.type == "stages4":
        out.extend(_band_problems(inst, levels))
        out.extend(_recommendation_problems(inst, dims, ifaces, levels))
    unknown = unknown_keys(parse_keys(inst.source))
    if unknown:
        out.append(
            f"source: {', '.join(unknown)} not in assessment/references.yaml "
            "(write reference keys separated by '; ', e.g. 'kotler2006; art001')"
        )
    if inst.profile is not None and inst.profile.declared_item is not None:
        if inst.profile.declared_item not in item_ids:
            out.append(f"profile: declared_item {inst.profile.declared_item!r} is not an item")
    return out


def _former_problems(inst: Instrument) -> list[str]:
    """Check that earlier wordings (``former``) still read as one thing only.

    A former question text may not be another item's question, and a former option text
    may not be another option of the same item (nor the scale's don't-know answer).
    """
    out: list[str] = []
    for lang in LANGUAGES:
        current = {i.text.get(lang).strip().casefold(): i.id for i in inst.items}
        for item in inst.items:
            for old in item.former:
                other = current.get(old.get(lang).strip().casefold(), item.id)
                if other != item.id:
                    out.append(f"item {item.id}: former text ({lang}) is the question of {other}")
            dont = inst.scale.dont_know
            seen: dict[str, int] = {}
            if dont is not None and item.offers_dont_know:
                seen[dont.get(lang).strip().casefold()] = 0
            for k, opt in enumerate(item.options, 1):
                for text in {t.get(lang).strip().casefold() for t in [opt, *opt.former]}:
                    if seen.setdefault(text, k) != k:
                        like = ("the don't-know answer" if seen[text] == 0
                                else f"option {seen[text]}")
                        out.append(f"item {item.id}: option {k} ({lang}) reads like {like} "
                                   "(current or former wording)")
    return out


def _recommendation_problems(
    inst: Instrument, dims: list[str], ifaces: list[str], levels: list[str]
) -> list[str]:
    """Check that every (interface ×) dimension × step has exactly one recommendation."""
    out = []
    where_of = (lambda i, d: f"interface {i} x dimension {d}") if ifaces else (
        lambda i, d: f"dimension {d}")
    for iface in ifaces or [None]:
        for d in dims:
            for lo, hi in zip(levels, levels[1:], strict=False):
                rec = inst.recommendation(iface, d, lo)
                if rec is None:
                    out.append(f"recommendations: missing for {where_of(iface, d)}, "
                               f"step {lo} -> {hi}")
                elif rec.to != hi:
                    out.append(f"recommendations: {where_of(iface, d)} from {lo} goes to "
                               f"{rec.to}, not {hi}")
    seen = set()
    for r in inst.recommendations:
        if r.dimension not in dims:
            out.append(f"recommendations: unknown dimension {r.dimension!r}")
        if ifaces and r.interface not in ifaces:
            out.append(f"recommendations: interface {r.interface!r} is not one of {ifaces}"
                       f" (dimension {r.dimension}, from {r.from_})")
        elif not ifaces and r.interface is not None:
            out.append(f"recommendations: interface {r.interface!r} given, but the instrument "
                       "has no interfaces")
        key = (r.interface, r.dimension, r.from_)
        if key in seen:
            out.append(f"recommendations: more than one for {where_of(r.interface, r.dimension)}"
                       f" from {r.from_}")
        seen.add(key)
    return out


def _nps_problems(item: Item, dims: list[str]) -> list[str]:
    """Check an ``nps`` item: answered 0–10, reported on its own, never averaged into a dimension.

    Its ``dimension`` is optional (it names the link it measures, e.g. customer loyalty);
    options and reverse keying make no sense on a 0–10 recommendation question.
    """
    where = f"item {item.id}"
    out = []
    if item.dimension is not None and item.dimension not in dims:
        out.append(f"{where}: dimension {item.dimension!r} is not one of {dims}")
    if item.options:
        out.append(f"{where}: an nps item is answered 0–10 and takes no options")
    if item.reverse:
        out.append(f"{where}: an nps item cannot be reverse-keyed")
    return out


def _band_problems(inst: Instrument, levels: list[str]) -> list[str]:
    out = []
    if not inst.bands:
        return ["bands: a staged instrument needs bands"]
    bands = sorted(inst.bands, key=lambda b: b.lower)
    if [b.level for b in bands] != levels:
        out.append(f"bands: levels must be {levels} in order, found {[b.level for b in bands]}")
    if bands[0].lower != inst.scale.min or bands[-1].upper != inst.scale.max:
        out.append(
            f"bands: must cover [{inst.scale.min}, {inst.scale.max}], "
            f"cover [{bands[0].lower}, {bands[-1].upper}]"
        )
    for a, b in zip(bands, bands[1:], strict=False):
        if a.upper != b.lower:
            kind = "gap" if a.upper < b.lower else "overlap"
            out.append(f"bands: {kind} between {a.level} and {b.level} ({a.upper} vs {b.lower})")
    return out


def _format_location(data: dict, loc: tuple) -> str:
    parts = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            try:
                node = node[key]
                if isinstance(node, dict) and "id" in node:
                    label += f" ({node['id']})"
            except (IndexError, KeyError, TypeError):
                pass
            parts.append(label)
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)


def parse_instrument(data: object, file: str) -> Instrument:
    """Validate instrument data read from ``file``.

    Parameters
    ----------
    data : object
        The parsed YAML.
    file : str
        Where it came from (used in messages).

    Returns
    -------
    Instrument

    Raises
    ------
    InstrumentError
        Naming the file and every problem found.
    """
    if not isinstance(data, dict):
        raise InstrumentError(file, ["the file must hold a mapping (id, version, items, ...)"])
    try:
        inst = Instrument.model_validate({**data, "path": file})
    except ValidationError as exc:
        problems = [f"{_format_location(data, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise InstrumentError(file, problems) from None
    problems = _consistency_problems(inst)
    if problems:
        raise InstrumentError(file, problems)
    return inst


@lru_cache(maxsize=32)
def _load_path(path: str, mtime: float) -> Instrument:
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise InstrumentError(path, [f"not valid YAML: {exc}"]) from None
    return parse_instrument(data, path)


def load_instrument(name: str | Path) -> Instrument:
    """Load and validate an instrument by id (bundled) or by file path.

    Parameters
    ----------
    name : str or Path
        An instrument id such as ``"alignment"``, or a path to a YAML file.

    Returns
    -------
    Instrument

    Raises
    ------
    InstrumentError
        When the file is missing or not valid.

    Examples
    --------
    >>> inst = load_instrument("alignment")
    >>> inst.scale.type, len(inst.interfaces), len(inst.dimensions)
    ('stages4', 3, 7)
    """
    path = Path(name)
    if path.suffix not in (".yaml", ".yml"):
        path = INSTRUMENT_DIR / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(p.stem for p in sorted(INSTRUMENT_DIR.glob("*.yaml")))
        raise InstrumentError(str(path), [f"no such instrument; bundled instruments: {known}"],
                              note=note("error_no_instrument", name=name, known=known))
    return _load_path(str(path.resolve()), path.stat().st_mtime)


def list_instruments(directory: Path = INSTRUMENT_DIR) -> list[Instrument]:
    """Load every instrument in ``directory``, sorted by id.

    Examples
    --------
    >>> [i.id for i in list_instruments()]
    ['alignment', 'customer_loyalty', 'value_disciplines']
    """
    return sorted((load_instrument(p) for p in directory.glob("*.yaml")), key=lambda i: i.id)


def staged_instrument(instruments: Iterable[Instrument]) -> Instrument | None:
    """Return the first staged (``stages4``) instrument, such as the alignment instrument."""
    return next((i for i in instruments if i.scale.type == "stages4"), None)


def profile_instrument(instruments: Iterable[Instrument]) -> Instrument | None:
    """Return the first instrument with a profile rule, such as the value disciplines."""
    return next((i for i in instruments if i.profile is not None), None)


def instrument_table(instruments: list[Instrument]) -> pd.DataFrame:
    """Describe instruments: id, version, item count, languages, title.

    Parameters
    ----------
    instruments : list of Instrument

    Returns
    -------
    DataFrame
        One row per instrument.
    """
    return pd.DataFrame(
        [
            {
                "id": i.id,
                "version": i.version,
                "items": len(i.items),
                "scored_items": len(i.scored_items),
                "languages": ", ".join(LANGUAGES),
                "title": i.title.en,
            }
            for i in instruments
        ]
    )
