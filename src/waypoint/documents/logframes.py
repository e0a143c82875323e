"""Any logframe workbook, read as a plan through a column mapping.

An administration's own logframe has its own layout. A mapping (``models.LogframeMapping``) says
where the table is (the sheet, the header row; data from the row below) and which column holds
each of Waypoint's fields, by the text of its header (so the mapping still fits when columns move
or are added). A row is read as follows:

- a row with a title starts an element; its level (goal, objective, initiative, activity) comes
  from, as the mapping says, a column holding the level (each value of it mapped to a level), the
  depth of the code (``1`` a goal, ``1.2`` an objective, ``1.2.3`` an initiative, ``1.2.3.4`` an
  activity; letters around the numbers are ignored, so ``O1.2`` is an objective too), or the
  indentation of the title cell (none: a goal, one step: an objective …);
- its parent is the element whose code the parent column gives, or else the nearest element of
  the level above in the rows before it (the order a logframe is written in);
- indicator columns on the element's row, and on the rows below it whose title is empty, are its
  indicators (each row one indicator); the target columns are the ones whose header names a year;
- a row with neither a title nor an indicator is skipped.

Waypoint numbers the elements itself (G1, O1.2, I1.2.3, A1.2.3.4): a code already in that form
for its place keeps its number, others are numbered in their order. The result is a plan file
(``plans.schemas.PlanFile``) that the plan file's own import checks and writes (rights, every
problem, one transaction, one audit event); each problem is reported at its sheet, row and
column ("Logframe!C12").
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from waypoint.core.errors import ApplicationError, Problem
from waypoint.documents.workbook import WorkbookRead, _problem_count, _refuse, check_archive, quote_sheetname
from waypoint.org.models import OrgUnit
from waypoint.plans.models import CODE_PREFIX, PARENT_KIND, TIER_TEMPLATES, ElementKind
from waypoint.plans.schemas import FORMAT, FORMAT_VERSION

#: Waypoint's fields a column may hold, in the order the mapping page lists them
FIELDS: dict[str, Any] = {
    "code": gettext_lazy("Code"),
    "title": gettext_lazy("Title (results chain)"),
    "level": gettext_lazy("Level"),
    "parent": gettext_lazy("Parent's code"),
    "responsible_unit": gettext_lazy("Responsible unit (code or name)"),
    "description": gettext_lazy("Description"),
    "assumptions": gettext_lazy("Assumptions"),
    "indicator": gettext_lazy("Indicator"),
    "indicator_code": gettext_lazy("Indicator code"),
    "unit_of_measure": gettext_lazy("Unit of measure"),
    "baseline": gettext_lazy("Baseline"),
    "baseline_year": gettext_lazy("Baseline year"),
    "means_of_verification": gettext_lazy("Means of verification"),
    "data_source": gettext_lazy("Data source"),
}
#: header words that suggest a field, for the mapping page's first guess (lower case)
GUESSES: dict[str, tuple[str, ...]] = {
    "code": ("code", "ref", "no.", "number", "#"),
    "title": ("results chain", "title", "narrative summary", "intervention logic", "description of result", "result"),
    "level": ("level", "tier", "type"),
    "parent": ("parent", "parent code"),
    "responsible_unit": ("responsible unit", "responsible", "unit responsible", "owner"),
    "description": ("description",),
    "assumptions": ("assumptions", "assumption", "risks and assumptions"),
    "indicator": ("indicator", "indicators", "objectively verifiable indicators", "ovi"),
    "indicator_code": ("indicator code",),
    "unit_of_measure": ("unit of measure", "unit", "measure"),
    "baseline": ("baseline", "baseline value"),
    "baseline_year": ("baseline year", "baseline date"),
    "means_of_verification": ("means of verification", "mov", "sources of verification", "verification"),
    "data_source": ("data source", "source"),
}
KINDS = (ElementKind.GOAL, ElementKind.OBJECTIVE, ElementKind.INITIATIVE, ElementKind.ACTIVITY)
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
_NUMBERS = re.compile(r"\d+")


@dataclass(frozen=True)
class MappingSpec:
    """A mapping as the reader needs it (a ``LogframeMapping`` or the page's form)."""

    sheet: str = ""
    header_row: int = 1
    columns: dict[str, Any] = field(default_factory=dict)
    level_mode: str = "code"
    levels: dict[str, str] = field(default_factory=dict)
    code_in_indicator: bool = False
    tier_template: str = "customs"

    @classmethod
    def of(cls, mapping: Any) -> MappingSpec:
        return cls(
            sheet=mapping.sheet,
            header_row=mapping.header_row,
            columns=dict(mapping.columns),
            level_mode=mapping.level_mode,
            levels=dict(mapping.levels),
            code_in_indicator=mapping.code_in_indicator,
            tier_template=mapping.tier_template,
        )

    def target_headers(self) -> list[str]:
        value = self.columns.get("targets") or []
        return [str(v) for v in value] if isinstance(value, list) else []


@dataclass(frozen=True)
class PlanSettings:
    """What the logframe does not say: whose plan, its title and years, its currency."""

    administration: OrgUnit
    title: str
    start_year: int
    end_year: int
    currency: str = "AZN"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _key(header: Any) -> str:
    return " ".join(_text(header).split()).casefold()


def header_year(header: str) -> int | None:
    found = _YEAR.search(header)
    return int(found.group(0)) if found else None


@dataclass(frozen=True)
class SheetHeaders:
    """A sheet's name, its header row's texts, and the distinct values of each column below it
    (at most a few dozen, for the levels)."""

    name: str
    headers: list[str]
    values: dict[str, list[str]]


def _open(raw: bytes) -> Any:
    check_archive(raw)
    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise _refuse(
            _("The workbook cannot be read."), [Problem(_("workbook"), str(error)[:200] or type(error).__name__)]
        ) from error


def workbook_headers(raw: bytes, sheet: str, header_row: int) -> tuple[list[str], SheetHeaders | None]:
    """The workbook's sheet names, and the headers of ``sheet`` (the first sheet if empty) at
    ``header_row`` (None when there is no such sheet).

    Raises:
        PlanFileInvalid: not a workbook, or past the limits.
    """
    book = _open(raw)
    try:
        names = list(book.sheetnames)
        name = sheet or (names[0] if names else "")
        if name not in names:
            return names, None
        rows = book[name].iter_rows(min_row=max(header_row, 1), values_only=True)
        headers = [_text(v) for v in next(rows, ())]
        while headers and not headers[-1]:
            headers.pop()
        values: dict[str, list[str]] = {h: [] for h in headers if h}
        for count, row in enumerate(rows):
            if count > 2000:
                break
            for header, value in zip(headers, row, strict=False):
                text = _text(value)
                if header and text and text not in values[header] and len(values[header]) < 40:
                    values[header].append(text)
        return names, SheetHeaders(name, headers, values)
    finally:
        book.close()


def guess_columns(headers: list[str]) -> dict[str, Any]:
    """A first mapping from the headers' words: each field the first header that reads like it,
    and every header naming a year a target."""
    found: dict[str, Any] = {}
    used: set[str] = set()
    keys = {h: _key(h) for h in headers if h}
    for name, words in GUESSES.items():
        for word in words:
            match = next((h for h, k in keys.items() if k == word and h not in used), None)
            if match is not None:
                found[name] = match
                used.add(match)
                break
    targets = [h for h in keys if h not in used and header_year(h) is not None]
    if targets:
        found["targets"] = targets
    return found


def guess_levels(values: list[str]) -> dict[str, str]:
    """Each distinct value of the level column, in the order met, to the next level down."""
    return {v: str(KINDS[min(i, len(KINDS) - 1)]) for i, v in enumerate(values)}


# --- reading ------------------------------------------------------------------------------------------


@dataclass
class _Element:
    kind: str
    source_code: str
    parent: _Element | None
    entry: dict[str, Any]
    path: str
    row: int
    children: list[_Element] = field(default_factory=list)


class _LogframeReader:
    def __init__(self, spec: MappingSpec, settings: PlanSettings) -> None:
        self.spec = spec
        self.settings = settings
        self.problems: list[Problem] = []
        self.cells: dict[str, str] = {}
        self.units = list(
            OrgUnit.objects.filter(path__startswith=settings.administration.path)
            .select_related("parent")
            .order_by("path")
        )
        self.by_code = {u.code.casefold(): u for u in self.units}
        self.by_name = {u.name.casefold(): u for u in self.units}
        tiers = TIER_TEMPLATES.get(spec.tier_template) or TIER_TEMPLATES["customs"]
        self.tiers = [{"key": key, "name": name} for key, name in tiers]
        self.elements: list[_Element] = []
        self.indicators: list[dict[str, Any]] = []
        #: the element the rows below belong to (None after a row that could not be read)
        self.current: _Element | None = None
        self.columns: dict[str, int] = {}
        self.targets: list[tuple[int, int]] = []
        self.quoted = ""
        #: cells of elements re-listed in the file's order, written once every element moved
        self._pending: dict[str, str] = {}

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def read(self, book: Any) -> dict[str, Any]:
        spec = self.spec
        names = list(book.sheetnames)
        name = spec.sheet or (names[0] if names else "")
        if name not in names:
            self.add(_("workbook"), _("The workbook has no sheet “%(s)s”.") % {"s": name})
            return {}
        self.quoted = quote_sheetname(name)
        sheet = book[name]
        rows = sheet.iter_rows(min_row=max(spec.header_row, 1))
        header_cells = next(rows, ())
        headers = {_key(c.value): i for i, c in enumerate(header_cells) if _text(c.value)}
        header_at = f"{self.quoted}!{spec.header_row}:{spec.header_row}"
        for key, header in spec.columns.items():
            if key == "targets" or not header:
                continue
            if key not in FIELDS:
                self.add(header_at, _("Unknown field “%(f)s” in the mapping.") % {"f": key})
            elif _key(header) not in headers:
                self.add(header_at, _("No column “%(h)s” in the header row (%(f)s).") % {"h": header, "f": FIELDS[key]})
            else:
                self.columns[key] = headers[_key(header)]
        for header in spec.target_headers():
            year = header_year(header)
            if _key(header) not in headers:
                self.add(header_at, _("No column “%(h)s” in the header row (targets).") % {"h": header})
            elif year is None:
                self.add(header_at, _("The target column “%(h)s” does not name a year.") % {"h": header})
            else:
                self.targets.append((year, headers[_key(header)]))
        if "title" not in spec.columns or not spec.columns.get("title"):
            self.add(_("mapping"), _("Say which column holds the titles of the results chain."))
        if spec.level_mode == "column" and not spec.columns.get("level"):
            self.add(_("mapping"), _("Say which column holds the level, or recognise levels another way."))
        if spec.level_mode == "code" and not spec.columns.get("code"):
            self.add(_("mapping"), _("Say which column holds the codes, or recognise levels another way."))
        if self.problems:
            return {}
        for row_number, cells in enumerate(rows, start=spec.header_row + 1):
            self.row(row_number, cells)
        return self.document()

    def at(self, key: str, row: int) -> str:
        return f"{self.quoted}!{get_column_letter(self.columns[key] + 1)}{row}"

    def row(self, row: int, cells: tuple[Any, ...]) -> None:
        def value(key: str) -> Any:
            col = self.columns.get(key)
            if col is None or col >= len(cells):
                return None
            return cells[col].value

        title = _text(value("title"))
        indicator = _text(value("indicator"))
        if not title and not indicator:
            return
        if title:
            self.element(row, cells, value, title)
        if indicator:
            self.indicator(row, cells, value, indicator)

    def level(self, row: int, cells: tuple[Any, ...], value: Any) -> str | None:
        mode = self.spec.level_mode
        if mode == "column":
            text = _text(value("level"))
            kind = {_key(k): v for k, v in self.spec.levels.items()}.get(_key(text))
            if kind not in KINDS:
                self.add(
                    self.at("level", row),
                    _("“%(v)s” is not mapped to a level (goal, objective, initiative, activity).") % {"v": text},
                )
                return None
            return str(kind)
        if mode == "indent":
            cell = cells[self.columns["title"]]
            depth = int(getattr(getattr(cell, "alignment", None), "indent", 0) or 0)
            if depth >= len(KINDS):
                self.add(self.at("title", row), _("Indented %(n)d steps: at most 3 (an activity).") % {"n": depth})
                return None
            return str(KINDS[depth])
        code = _text(value("code"))
        depth = len(_NUMBERS.findall(code))
        if not 1 <= depth <= len(KINDS):
            self.add(
                self.at("code", row),
                _("The code “%(c)s” has %(n)d numbers; a level has 1 (goal) to 4 (activity).")
                % {"c": code, "n": depth},
            )
            return None
        return str(KINDS[depth - 1])

    def element(self, row: int, cells: tuple[Any, ...], value: Any, title: str) -> None:
        kind = self.level(row, cells, value)
        if kind is None:
            self.current = None
            return
        source_code = _text(value("code"))
        parent_kind = PARENT_KIND[kind]
        parent: _Element | None = None
        parent_code = _text(value("parent"))
        if parent_kind is not None:
            if parent_code:
                parent = next((e for e in reversed(self.elements) if e.source_code == parent_code), None)
                if parent is None:
                    self.add(self.at("parent", row), _("No row above has the code “%(c)s”.") % {"c": parent_code})
                elif parent.kind != parent_kind:
                    self.add(
                        self.at("parent", row),
                        _("“%(c)s” is a %(k)s; a %(kind)s sits under a %(parent)s.")
                        % {"c": parent_code, "k": parent.kind, "kind": kind, "parent": parent_kind},
                    )
                    parent = None
            else:
                parent = next((e for e in reversed(self.elements) if e.kind == parent_kind), None)
                # a deeper level met since belongs to another branch; the nearest of the level above
                if parent is None:
                    where = self.at("title", row)
                    self.add(
                        where, _("A %(kind)s needs a %(parent)s above it.") % {"kind": kind, "parent": parent_kind}
                    )
            if parent is None:
                self.current = None
                return
        unit = self.unit(row, value)
        path = f"$.elements[{len(self.elements)}]"
        entry: dict[str, Any] = {
            "kind": kind,
            "title": title,
            "description": _text(value("description")),
            "tier": self.tiers[min(KINDS.index(ElementKind(kind)), len(self.tiers) - 1)]["key"],
            "responsible_unit": unit,
            "assumptions": _text(value("assumptions")),
            "risks": [],
            "budget": [],
        }
        element = _Element(kind, source_code, parent, entry, path, row)
        self.cells[path] = f"{self.quoted}!{row}:{row}"
        for name in ("title", "description", "assumptions", "code", "responsible_unit"):
            if name in self.columns:
                self.cells[f"{path}.{name}"] = self.at(name, row)
        if "code" in self.columns:
            self.cells[f"{path}.number"] = self.at("code", row)
        if parent is not None:
            parent.children.append(element)
        self.elements.append(element)
        self.current = element

    def unit(self, row: int, value: Any) -> str:
        text = _text(value("responsible_unit"))
        if not text:
            return self.settings.administration.code
        unit = self.by_code.get(text.casefold()) or self.by_name.get(text.casefold())
        if unit is None:
            self.add(
                self.at("responsible_unit", row),
                _("No unit of %(admin)s has the code or name “%(u)s”.")
                % {"admin": self.settings.administration.code, "u": text},
            )
            return self.settings.administration.code
        return unit.code

    def number(self, where: str, raw: Any) -> Decimal | None:
        """A cell as a number: a number cell, or text such as "1 250", "12,5", "1,250.5", "45%"."""
        if raw is None or isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, int | float):
            found = Decimal(str(raw))
        else:
            text = str(raw).replace("\u00a0", "").replace(" ", "").rstrip("%")
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")  # a decimal comma
            try:
                found = Decimal(text.replace(",", ""))
            except InvalidOperation:
                found = Decimal("NaN")
        if not found.is_finite():
            self.add(where, _("“%(v)s” is not a number.") % {"v": raw})
            return None
        return found

    def indicator(self, row: int, cells: tuple[Any, ...], value: Any, text: str) -> None:
        element = self.current
        if element is None:
            if not self.elements:
                self.add(self.at("indicator", row), _("An indicator before any element of the results chain."))
            return  # the element's own problem is reported already
        code = _text(value("indicator_code"))
        name = text
        if not code and self.spec.code_in_indicator:
            first, _space, rest = text.partition(" ")
            if rest.strip():
                code, name = first, rest.strip()
        path = f"$.indicators[{len(self.indicators)}]"
        self.cells[path] = f"{self.quoted}!{row}:{row}"
        self.cells[f"{path}.name"] = self.at("indicator", row)
        if "indicator_code" in self.columns or self.spec.code_in_indicator:
            self.cells[f"{path}.code"] = self.at(
                "indicator_code" if "indicator_code" in self.columns else "indicator", row
            )
        for name_key in ("unit_of_measure", "means_of_verification", "data_source"):
            if name_key in self.columns:
                self.cells[f"{path}.{name_key}"] = self.at(name_key, row)
        baseline = None
        if "baseline" in self.columns:
            where = self.at("baseline", row)
            self.cells[f"{path}.baseline"] = where
            found = self.number(where, value("baseline"))
            if found is not None:
                year = None
                if "baseline_year" in self.columns:
                    year_text = _text(value("baseline_year"))
                    year = header_year(year_text) if year_text else None
                    if year_text and year is None:
                        self.add(self.at("baseline_year", row), _("“%(v)s” is not a year.") % {"v": year_text})
                year = year or self.settings.start_year - 1
                baseline = {"value": found, "date": f"{year}-12-31", "source": ""}
        targets: list[dict[str, Any]] = []
        for year, col in self.targets:
            where = f"{self.quoted}!{get_column_letter(col + 1)}{row}"
            raw = cells[col].value if col < len(cells) else None
            found = self.number(where, raw)
            if found is not None:
                self.cells[f"{path}.targets[{len(targets)}]"] = where
                targets.append({"period": str(year), "value": found})
        unit_of_measure = _text(value("unit_of_measure")) or _("number")
        direction = "increase"
        if baseline is not None and targets and targets[-1]["value"] < baseline["value"]:
            direction = "decrease"
        self.indicators.append(
            {
                "code": code,
                "name": name,
                "element": element,
                "tier": element.entry["tier"],
                "unit_of_measure": unit_of_measure,
                "direction": direction,
                "aggregation": "latest",
                "frequency": "year",
                "means_of_verification": _text(value("means_of_verification")),
                "data_source": _text(value("data_source")),
                "owner_unit": element.entry["responsible_unit"],
                "baseline": baseline,
                "tolerance": {"value": 0, "kind": "relative"},
                "targets": targets,
            }
        )

    def numbered(self, group: list[_Element], parent_code: str) -> Iterator[tuple[_Element, int, str]]:
        """Each element of a group of siblings with its number and code: a code already of
        Waypoint's form for its place keeps its number, the others follow in order."""
        used: set[int] = set()
        wanted: dict[int, int] = {}
        for index, element in enumerate(group):
            prefix = CODE_PREFIX[element.kind]
            stem = f"{prefix}{parent_code[1:]}." if parent_code else prefix
            if element.source_code.startswith(stem) and element.source_code[len(stem) :].isdigit():
                n = int(element.source_code[len(stem) :])
                if n >= 1 and n not in used:
                    used.add(n)
                    wanted[index] = n
        next_free = 1
        for index, element in enumerate(group):
            n = wanted.get(index, 0)
            if not n:
                while next_free in used:
                    next_free += 1
                n = next_free
                used.add(n)
            prefix = CODE_PREFIX[element.kind]
            code = f"{prefix}{parent_code[1:]}.{n}" if parent_code else f"{prefix}{n}"
            yield element, n, code

    def document(self) -> dict[str, Any]:
        ordered: list[dict[str, Any]] = []
        codes: dict[int, str] = {}

        def walk(group: list[_Element], parent_code: str) -> int:
            top = 0
            for position, (element, n, code) in enumerate(self.numbered(group, parent_code)):
                top = max(top, n)
                codes[id(element)] = code
                entry = element.entry
                entry.update(code=code, number=n, position=position, parent=parent_code or None)
                new_path = f"$.elements[{len(ordered)}]"
                self._move_cells(element.path, new_path)
                ordered.append(entry)
                entry["last_child_number"] = walk(element.children, code)
            return top

        last_goal = walk([e for e in self.elements if e.parent is None], "")
        indicators: list[dict[str, Any]] = []
        taken = {str(i["code"]) for i in self.indicators if i["code"]}
        generated = 0
        for number, indicator in enumerate(self.indicators, start=1):
            if not indicator["code"]:
                generated += 1
                while f"KPI-{generated:02d}" in taken:
                    generated += 1
                indicator["code"] = f"KPI-{generated:02d}"
            indicator["element"] = codes[id(indicator["element"])]
            indicator["number"] = number
            indicators.append(indicator)
        s = self.settings
        admin = s.administration
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "administration": admin.code,
            "units": [
                {"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent.code if u.parent else None}
                for u in self.units
            ],
            "plan": {
                "title": s.title,
                "start_year": s.start_year,
                "end_year": s.end_year,
                "status": "draft",
                "tier_template": self.spec.tier_template,
                "currency": s.currency,
                "last_goal_number": last_goal,
            },
            "tiers": self.tiers,
            "elements": ordered,
            "indicators": indicators,
        }

    def _move_cells(self, old: str, new: str) -> None:
        """An element's cells under its place in the tree order (the file lists parents first)."""
        if old == new:
            return
        moved = {k: v for k, v in self.cells.items() if k == old or k.startswith(old + ".")}
        for key in moved:
            del self.cells[key]
        for key, value in moved.items():
            self._pending[new + key[len(old) :]] = value

    def finish(self) -> None:
        self.cells.update(self._pending)


def read_logframe(raw: bytes, spec: MappingSpec, settings: PlanSettings) -> WorkbookRead:
    """The plan file's JSON value a logframe workbook holds through ``spec``, and the cell each
    part came from.

    Raises:
        PlanFileInvalid: not a workbook, past the limits, or rows that cannot make a plan; every
            problem at its sheet, row and column.
    """
    book = _open(raw)
    try:
        reader = _LogframeReader(spec, settings)
        data = reader.read(book)
        reader.finish()
    except ApplicationError:
        raise
    except Exception as error:  # a damaged sheet fails while it is read
        raise _refuse(
            _("The workbook cannot be read."), [Problem(_("workbook"), str(error)[:200] or type(error).__name__)]
        ) from error
    finally:
        book.close()
    if reader.problems:
        raise _refuse(_problem_count(reader.problems), reader.problems)
    return WorkbookRead(data, reader.cells)
