"""``load_json``: JSON text in, or one located problem out (never a RecursionError or a
UnicodeError from deep inside a reader)."""

from __future__ import annotations

import pytest

from waypoint.engine.located import MAX_DEPTH, DocumentError, load_json


def problem(data: str | bytes) -> tuple[str, str]:
    with pytest.raises(DocumentError) as caught:
        load_json(data)
    (found,) = caught.value.problems
    return found


def test_plain_json_and_a_byte_order_mark_are_read() -> None:
    assert load_json(b'\xef\xbb\xbf{"a": [1, "\xc3\xa9"]}') == {"a": [1, "é"]}
    assert load_json('"\\ud83d\\ude00"') == "😀"  # a surrogate pair is one character, not a lone half


def test_bytes_that_are_not_utf8_are_located_by_line_and_column() -> None:
    where, message = problem(b'{"a": "\xff"}')
    assert (where, message) == ("$", "not UTF-8 text (line 1, column 8: byte 0xff cannot be read)")
    assert "line 3, column 2: byte 0xc3" in problem(b'[\n1,\n"\xc3"]')[1]


def test_text_that_is_not_json_gives_line_and_column() -> None:
    where, message = problem('{\n  "a": }')
    assert where == "$" and "line 2, column 8" in message


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 200_000])
def test_nesting_past_the_limit_is_refused(depth: int) -> None:
    where, message = problem("[" * depth + "]" * depth)
    assert where.startswith("$") and f"at most {MAX_DEPTH} levels" in message


def test_nesting_up_to_the_limit_is_read() -> None:
    assert load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


def test_a_lone_surrogate_is_located_by_its_json_path() -> None:
    assert problem('{"a": [1, {"b": "x\\ud800"}]}')[0] == "$.a[1].b"
    assert problem('{"a": {"\\udfff": 1}}')[0] == "$.a"
    # the first in reading order is the one reported
    assert problem('[["\\ud800"], "\\ud801"]')[0] == "$[0][0]"


def test_what_python_reads_but_json_has_not_is_located() -> None:
    assert problem('{"a": [1, NaN]}') == ("$.a[1]", "NaN is not a JSON number")
    assert problem('{"b": -Infinity}') == ("$.b", "-Infinity is not a JSON number")
    assert problem('{"c": 1e999}') == ("$.c", "the number is too large to be read")


def test_a_nul_character_is_located() -> None:
    assert problem('{"a": "x\\u0000"}')[0] == "$.a"
    assert problem('{"a": {"\\u0000": 1}}')[0] == "$.a"


def test_a_number_too_long_to_parse_is_a_problem_not_a_crash() -> None:
    with pytest.raises(DocumentError) as caught:
        load_json('{"capacity": ' + "9" * 5000 + "}")
    assert caught.value.problems == [("$", "a number has more digits than can be read")]


@pytest.mark.parametrize("text", ["NaN", "sNaN", "Infinity", "-inf"])
def test_a_text_that_decimal_reads_but_is_no_number_is_refused_at_its_path(text: str) -> None:
    from waypoint.engine.located import LocatedReader

    reader = LocatedReader()
    assert reader.decimal({"value": text}, "value", "$.targets[0]") is None
    assert reader.problems == [("$.targets[0].value", f"'{text}' is not a number")]
