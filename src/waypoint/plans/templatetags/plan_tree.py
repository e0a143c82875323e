"""``{% tree_rows roots %}``: the plan tree's rows, written in Python.

The tree is the one page that shows a row per element (147 on the demo plan, ten goals' worth
on a large one), and each row has about forty template nodes: through the template engine the
rows cost six times the plan list page (issue 20's target is five). Here the labels, URLs and
badges every row repeats are worked out once per page and each row is a few string joins,
with every value escaped where it is put in. When written, the rows were compared with the
templates they replaced on the demo plan and the ×10 one, in four languages and five filters:
the same markup, whitespace aside (and an apostrophe of a translated label written as an
entity); `tests/plans/test_plan_tree.py` checks each kind of row.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from typing import Any

from django import template
from django.template.context import Context
from django.template.defaultfilters import urlencode
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.templatetags.waypoint import choice_label, health_counts, money, month_year, status_badge
from waypoint.plans.models import Plan, PlanElement
from waypoint.plans.selectors import TreeNode
from waypoint.plans.templatetags.plan_text import tr

register = template.Library()

#: an id no element has, put in a URL once and replaced by each row's id
_ID = 2_147_483_646
_SEVERITY_STYLE = {"error": "text-bg-danger", "warning": "text-bg-warning"}


def _url_of(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for any pk, reversed once: a row links to its element, its
    edit page and its move action."""
    before, after = (escape(part) for part in reverse(name, args=[_ID]).split(str(_ID)))
    return lambda pk: f"{before}{pk}{after}"


class _Rows:
    """What every row of one page repeats, worked out once, and the rows themselves."""

    def __init__(self, context: Context, plan: Plan, checks: Mapping[str, Any], editable: Container[int]) -> None:
        self.context = context
        self.plan = plan
        self.checks = checks
        self.editable = editable
        self.filtered = bool(getattr(context.get("filters"), "active", False))
        # after a move: the elements above the moved one stay open, its button keeps the focus
        self.opened: Container[int] = context.get("opened") or ()
        self.moved: tuple[int, str] | None = context.get("moved")
        self.cannot_move: dict[int, str] = context.get("cannot_move") or {}
        # a move answers with the tree of the same filters and page: the form posts to them
        request = context.get("request")
        query = request.GET.urlencode() if request is not None else ""
        self.query = f"?{escape(query)}" if query else ""
        self.currency = escape(plan.currency)
        self.detail_url = _url_of("element-detail")
        self.edit_url = _url_of("element-edit")
        self.move_url = _url_of("element-move")
        self.unit_urls: dict[str, str] = {}
        self.health_url = escape(reverse("plan-health", args=[plan.pk]))
        self.create_url = escape(reverse("element-create", args=[plan.pk]))
        self.tier_label = escape(_("Results tier"))
        self.budget_label = escape(_("Budget including everything below"))
        self.checks_label = escape(_("Plan quality findings"))
        self.up_label = escape(_("Move up"))
        self.down_label = escape(_("Move down"))
        self.edit_label = escape(_("Edit"))
        self.csrf = CsrfTokenNode().render(context)  # {% csrf_token %}, the same on every form

    def unit_url(self, code: str) -> str:
        url = self.unit_urls.get(code)
        if url is None:
            url = self.unit_urls[code] = escape(reverse("unit-detail", args=[code]))
        return url

    def nodes(self, nodes: Iterable[TreeNode], out: list[str]) -> None:
        for node in nodes:
            out.append("<li>\n")
            if node.children:
                element = node.element
                is_open = " open" if self.filtered or element.kind == "goal" or element.pk in self.opened else ""
                out.append(f'<details class="tree-node"{is_open}>\n  <summary>')
                self.row(node, out)
                out.append("</summary>\n  <ul>")
                self.nodes(node.children, out)
                out.append("</ul>\n</details>\n")
            else:
                out.append("  ")
                self.row(node, out)
                out.append("\n")
            out.append("</li>\n")

    def row(self, node: TreeNode, out: list[str]) -> None:
        e: PlanElement = node.element
        code = escape(e.code)
        unit = e.responsible_unit
        unmatched = "" if node.matched else " unmatched"
        caret = (
            '<span class="caret" aria-hidden="true">▸</span>' if node.children else '<span class="caret-spacer"></span>'
        )
        out.append(
            f'<div class="tree-row{unmatched}" data-code="{code}">\n  {caret}\n'
            f'  <span class="kind-badge kind-{escape(e.kind)}">{conditional_escape(choice_label(e, "kind"))}</span>\n'
            f'  <span class="title"><span class="code">{code}</span> '
            f'<a href="{self.detail_url(e.pk)}">{conditional_escape(tr(self.context, e, "title"))}</a></span>\n'
            f'  <span class="meta">\n    <span title="{self.tier_label}">{escape(e.tier.name)}</span>\n'
            f'    <a href="{self.unit_url(unit.code)}" title="{escape(unit.name)}">{escape(unit.code)}</a>\n'
        )
        if e.starts_on:
            out.append(f"    <span>{escape(month_year(e.starts_on))} – {escape(month_year(e.ends_on))}</span>\n")
        if e.kind in ("initiative", "activity"):
            out.append(
                f'    <span class="badge text-bg-light border">{conditional_escape(choice_label(e, "status"))}</span>\n'
            )
        if node.budget:
            out.append(f'    <span title="{self.budget_label}">{escape(money(node.budget))} {self.currency}</span>\n')
        out.append(f"    {health_counts(node.health)}\n    {status_badge(node.health)}\n    ")
        found = self.checks.get(e.code)
        if found:
            style = _SEVERITY_STYLE.get(found.worst.value, "text-bg-info")
            count = ngettext("%(n)s check", "%(n)s checks", found.count) % {"n": found.count}
            out.append(
                f'<a class="badge health-badge {style}" href="{self.health_url}?element={escape(urlencode(e.code))}'
                f'#el-{code}" title="{self.checks_label}" data-testid="check-badge">{escape(count)}</a>'
            )
        out.append("\n  </span>\n")
        if e.pk in self.editable:
            self.actions(e, code, out)
        out.append("</div>\n")

    def actions(self, e: PlanElement, code: str, out: list[str]) -> None:
        move = self.move_url(e.pk)
        out.append('  <span class="actions">\n')
        # the first of its siblings cannot go up, the last cannot go down: such a button is
        # marked unavailable (aria-disabled: pressing it moves nothing) but keeps the focus it
        # had, so pressing again after reaching the end does not send the element back
        stuck = self.cannot_move.get(e.pk, "")
        for direction, label, aria in (
            ("up", self.up_label, _("Move %(code)s up")),
            ("down", self.down_label, _("Move %(code)s down")),
        ):
            unavailable = stuck in (direction, "both")
            state = ' aria-disabled="true"' if unavailable else ""
            attrs = state + (" autofocus" if self.moved == (e.pk, direction) else "")
            css = "btn btn-outline-secondary" + (" disabled" if unavailable else "")
            out.append(
                f'    <form method="post" action="{move}" hx-post="{move}{self.query}" hx-target="#tree" '
                f'hx-include="closest form">{self.csrf}\n'
                f'      <input type="hidden" name="direction" value="{direction}"><button '
                f'class="{css}" type="submit" title="{label}"{attrs} '
                f'aria-label="{escape(aria % {"code": e.code})}">{"↑" if direction == "up" else "↓"}</button></form>\n'
            )
        # the messages outside the f-strings: xgettext does not look inside them
        edit = escape(_("Edit %(code)s") % {"code": e.code})
        out.append(
            f'    <a class="btn btn-outline-secondary" href="{self.edit_url(e.pk)}" '
            f'aria-label="{edit}">{self.edit_label}</a>\n'
        )
        if e.kind != "activity":
            add = escape(_("Add under %(code)s") % {"code": e.code})
            out.append(
                f'    <a class="btn btn-outline-primary" href="{self.create_url}?parent={e.pk}" aria-label="{add}">+</a>\n'
            )
        out.append("  </span>\n")


@register.simple_tag(takes_context=True)
def tree_rows(context: Context, roots: Iterable[TreeNode]) -> SafeString:
    """The rows of ``roots`` and everything below them, nested as ``<li>``/``<details>``."""
    rows = _Rows(context, context["plan"], context.get("checks") or {}, context.get("editable") or ())
    out: list[str] = []
    rows.nodes(roots, out)
    return mark_safe("".join(out))  # every value above is escaped where it is put in
