"""The administration's own DOCX template: the plan rendered through it with docxtpl (Jinja
placeholders in Word: ``{{ plan.title }}``, ``{% for goal in goals %}``), in a sandbox, with
unknown names refused. Every problem says which placeholder and where it is (paragraph, table
cell, header or footer). A default template is shipped to start from (``default_template``)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
import jinja2
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx.shared import Pt, RGBColor
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from waypoint.core.errors import InvalidInput, Problem
from waypoint.documents.content import edition
from waypoint.indicators.selectors import indicator_states
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import Plan, Risk

#: names a template may use at its top level
NAMES = ("plan", "goals", "indicators", "risks", "budget", "document")
_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
_FOR = re.compile(r"^\s*(?:tr\s+|p\s+|tc\s+)?for\s+([\w\s,]+?)\s+in\s+", re.S)
_ROOT = re.compile(r"^\s*(?:[rp]\s+)?([A-Za-z_]\w*)")


def _places(document: Any) -> Iterator[tuple[str, str]]:
    """(where, text) of every paragraph: body, table cells, headers and footers."""
    for i, paragraph in enumerate(document.paragraphs, start=1):
        yield _("paragraph %(n)d") % {"n": i}, paragraph.text
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                yield _("table %(t)d, row %(r)d, cell %(c)d") % {"t": t, "r": r, "c": c}, cell.text
    for s, section in enumerate(document.sections, start=1):
        for p in section.header.paragraphs:
            yield _("header of section %(s)d") % {"s": s}, p.text
        for p in section.footer.paragraphs:
            yield _("footer of section %(s)d") % {"s": s}, p.text


def _open(content: bytes) -> Any:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise InvalidInput.at("file", _("This is not a DOCX file (a .docx file is a zip archive)."))
    try:
        return docx.Document(io.BytesIO(content))
    except Exception as error:  # python-docx raises many kinds on a damaged file
        raise InvalidInput.at("file", _("The DOCX file cannot be read: %(e)s") % {"e": str(error)[:200]}) from error


def _placeholder_problems(document: Any) -> list[Problem]:
    problems: list[Problem] = []
    loop_names: set[str] = set()
    for where, text in _places(document):
        for match in _TAG.finditer(text):
            expression, statement = match.group(1), match.group(2)
            if statement is not None:
                loop = _FOR.match(statement)
                if loop:
                    loop_names |= {n.strip() for n in loop.group(1).split(",")}
                    expression = statement[loop.end() :]
                else:
                    continue
            root = _ROOT.match(expression or "")
            if root is None:
                continue
            name = root.group(1)
            if name not in NAMES and name not in loop_names and name not in ("loop", "true", "false", "none"):
                problems.append(
                    Problem(
                        where,
                        _("%(tag)s: unknown name “%(name)s”; a template may use %(names)s.")
                        % {"tag": match.group(0).strip(), "name": name, "names": ", ".join(NAMES)},
                    )
                )
    return problems


def _where(document: Any, needle: str) -> str:
    for where, text in _places(document):
        if needle and needle in text:
            return where
    return _("template")


def _context(plan: Plan, number: int | None = None) -> dict[str, Any]:
    overview = plan_selectors.plan_overview(plan)
    states = sorted(indicator_states(plan).values(), key=lambda s: s.indicator.number)
    summary = plan_selectors.budget_summary(plan)
    shown = edition(plan)

    def node(n: plan_selectors.TreeNode) -> dict[str, Any]:
        e = n.element
        return {
            "code": e.code,
            "title": e.title,
            "description": e.description,
            "unit": e.responsible_unit.name,
            "starts": date_format(e.starts_on, "M Y") if e.starts_on else "",
            "ends": date_format(e.ends_on, "M Y") if e.ends_on else "",
            "budget": f"{float(n.budget):,.0f}" if n.budget else "",
            "health": str(n.health.status.value),
            "children": [node(c) for c in n.children],
        }

    return {
        "plan": {
            "title": plan.title,
            "administration": plan.administration.name,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "status": plan.get_status_display(),
            "currency": plan.currency,
            "vision": plan.vision,
            "mission": plan.mission,
            "core_values": [v.strip() for v in plan.values.splitlines() if v.strip()],
            "summary": plan.summary,
        },
        "goals": [node(n) for n in overview.roots],
        "indicators": [
            {
                "code": s.indicator.code,
                "name": s.indicator.name,
                "unit": s.indicator.unit_of_measure,
                "baseline": ""
                if s.indicator.baseline_value is None
                else f"{float(s.indicator.baseline_value):,.{s.indicator.decimals}f}",
                "targets": ", ".join(f"{t.period}: {float(t.value):,.{s.indicator.decimals}f}" for t in s.targets),
                "status": s.status.value,
            }
            for s in states
        ],
        "risks": [
            {
                "element": r.element.code,
                "description": r.description,
                "score": r.likelihood * r.impact,
                "mitigation": r.mitigation,
            }
            for r in Risk.objects.filter(element__plan=plan)
            .select_related("element")
            .order_by("-likelihood", "-impact")
        ],
        "budget": {
            "total": f"{float(summary.grand_total):,.0f}",
            "years": [
                {"year": y, "amount": f"{float(v):,.0f}"} for y, v in zip(summary.years, summary.totals, strict=True)
            ],
        },
        "document": {
            "number": number or 0,
            "date": date_format(timezone.localdate(), "j F Y"),
            # the plan's version as its approval history numbers it, not its edit counter
            "version": shown.number,
            "version_line": shown.line,
            "draft": shown.draft,
        },
    }


def _render(content: bytes, context: dict[str, Any]) -> bytes:
    template = DocxTemplate(io.BytesIO(content))
    environment = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    template.render(context, jinja_env=environment)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def template_check(content: bytes, plan: Plan) -> None:
    """Refuse a template whose placeholders would not render, each problem where it is.

    Raises:
        InvalidInput: not a DOCX file, unknown names, or Jinja errors (syntax, undefined
            attributes), located by paragraph, table cell, header or footer.
    """
    document = _open(content)
    problems = _placeholder_problems(document)
    if not problems:
        try:
            _render(content, _context(plan))
        except jinja2.TemplateSyntaxError as error:
            problems.append(
                Problem(_where(document, error.source or ""), _("Syntax error: %(e)s") % {"e": error.message})
            )
        except jinja2.UndefinedError as error:
            name = re.search(r"'([^']+)'", str(error.message or ""))
            problems.append(
                Problem(_where(document, name.group(1) if name else ""), _("Undefined: %(e)s") % {"e": error.message})
            )
        except jinja2.exceptions.SecurityError as error:
            problems.append(Problem(_("template"), _("Not allowed in a template: %(e)s") % {"e": str(error)}))
        except Exception as error:  # docxtpl and Jinja raise many kinds on a broken template
            problems.append(Problem(_("template"), str(error)[:300] or type(error).__name__))
    if problems:
        raise InvalidInput(
            ngettext("The template has %(n)d problem.", "The template has %(n)d problems.", len(problems))
            % {"n": len(problems)}
            if len(problems) > 1
            else problems[0].message,
            problems=problems,
        )


def render_template(content: bytes, plan: Plan, *, number: int | None = None) -> bytes:
    """The plan rendered through a checked template."""
    return _render(content, _context(plan, number))


def default_template() -> bytes:
    """The shipped template: a letterhead, the statements, goals with objectives and initiatives,
    the indicators and the budget; an administration downloads it, restyles it and uploads it."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    header = document.sections[0].header.paragraphs[0]
    header.text = "{{ plan.administration }}"
    header.runs[0].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    document.sections[0].footer.paragraphs[0].text = (
        "{{ plan.title }} · " + _("version") + " {{ document.version }} · {{ document.date }}"
        "{% if document.draft %} · " + _("DRAFT") + "{% endif %}"
    )
    document.add_paragraph("{{ plan.title }}", style="Title")
    document.add_paragraph("{{ plan.start_year }}–{{ plan.end_year }} · {{ plan.status }}")
    document.add_heading(_("Vision"), level=1)
    document.add_paragraph("{{ plan.vision }}")
    document.add_heading(_("Mission"), level=1)
    document.add_paragraph("{{ plan.mission }}")
    document.add_heading(_("Values"), level=1)
    document.add_paragraph("{%p for value in plan.core_values %}")
    document.add_paragraph("{{ value }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_heading(_("Goals, objectives and initiatives"), level=1)
    document.add_paragraph("{%p for goal in goals %}")
    document.add_heading("{{ goal.code }} {{ goal.title }}", level=2)
    document.add_paragraph("{{ goal.description }}")
    document.add_paragraph("{%p for objective in goal.children %}")
    document.add_heading("{{ objective.code }} {{ objective.title }}", level=3)
    document.add_paragraph("{%p for initiative in objective.children %}")
    document.add_paragraph(
        "{{ initiative.code }} {{ initiative.title }} — {{ initiative.unit }}, {{ initiative.starts }}–{{ initiative.ends }}",
        style="List Bullet",
    )
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")
    document.add_heading(_("Indicators"), level=1)
    table = document.add_table(rows=3, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, [_("Code"), _("Indicator"), _("Baseline"), _("Targets")], strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for i in indicators %}"
    row = table.rows[2].cells
    row[0].text, row[1].text, row[2].text, row[3].text = (
        "{{ i.code }}",
        "{{ i.name }}",
        "{{ i.baseline }}",
        "{{ i.targets }}",
    )
    end = table.add_row().cells
    end[0].text = "{%tr endfor %}"
    document.add_heading(_("Budget"), level=1)
    document.add_paragraph(_("Total") + ": {{ budget.total }} {{ plan.currency }}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
