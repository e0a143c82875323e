"""Texts an engine hands out survive a round trip through JSON with what they were made from."""

from __future__ import annotations

import json

from waypoint.engine.text import Text, dumped, loaded, ngettext


def test_a_text_comes_back_with_its_template_values_and_nested_texts() -> None:
    inner = Text("objective %(code)s", {"code": "O1"})
    outer = Text(ngettext("%(what)s has %(n)d finding", "%(what)s has %(n)d findings", 2), {"what": inner, "n": 2})
    back = loaded(json.loads(json.dumps(dumped(outer))))
    assert isinstance(back, Text) and str(back) == str(outer) == "objective O1 has 2 findings"
    # said in other words: the template of each part is looked up, the values put back in
    said = back.say(
        lambda s: s.replace("objective", "objectif"), lambda s, p, n: (s if n == 1 else p).replace("has", "a")
    )
    assert said == "objectif O1 a 2 findings"


def test_a_plain_string_stays_a_string() -> None:
    assert loaded(dumped("as it is")) == "as it is" and not isinstance(loaded(dumped("as it is")), Text)
