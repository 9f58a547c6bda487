"""Tests for the JSON5, YAML and static-JS config parsers (twilint.sources.*)."""

from __future__ import annotations

import json
import math

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twilint.sources import yaml_values
from twilint.sources.json5 import parse_json5
from twilint.sources.jsconfig import parse_js_config
from twilint.sources.values import (
    ARRAY,
    BOOL,
    NULL,
    NUMBER,
    OBJECT,
    STRING,
    UNKNOWN,
    Value,
    ValueSyntaxError,
)
from twilint.sources.yaml_values import parse_yaml


def span(data: bytes, v: Value) -> bytes:
    return data[v.start : v.end]


def key_span(data: bytes, obj: Value, key: str) -> bytes:
    m = obj.member(key)
    assert m is not None, key
    return data[m.key_start : m.key_end]


def assert_spans_consistent(data: bytes, v: Value, nested: bool = True) -> None:
    """Every span lies inside the buffer and (if ``nested``) children lie inside their parent.

    YAML aliases and resolved JS identifiers legitimately point elsewhere, hence ``nested``.
    """
    assert 0 <= v.start <= v.end <= len(data)
    children: list[Value] = []
    if v.kind == OBJECT:
        for m in v.members:
            assert 0 <= m.key_start <= m.key_end <= len(data)
            if nested:
                assert v.start <= m.key_start
            children.append(m.value)
    elif v.kind == ARRAY:
        children = v.data
    for c in children:
        if nested:
            assert v.start <= c.start and c.end <= v.end
        assert_spans_consistent(data, c, nested)


def syntax_error(parse, data: bytes) -> ValueSyntaxError:
    with pytest.raises(ValueSyntaxError) as info:
        parse(data)
    err = info.value
    assert isinstance(err.offset, int) and 0 <= err.offset <= len(data)
    assert err.message
    return err


# =========================================================================================
# JSON5
# =========================================================================================

DEFAULT_RC = """// This file contains the default configuration for the Serverless Toolkit
{
\t"commands": {},
\t"environments": {},
\t"projects": {},
\t// "assets": true \t/* Upload assets. Can be turned off with --no-assets */,
\t"runtime": "node22",
\t/* "functionsFolder": null,  Specific folder name to be used for static functions */
}
""".encode()


class TestJson5RealWorld:
    def test_default_rc(self):
        v = parse_json5(DEFAULT_RC)
        assert v.kind == OBJECT
        assert v.to_python() == {
            "commands": {},
            "environments": {},
            "projects": {},
            "runtime": "node22",
        }
        assert v.keys() == ["commands", "environments", "projects", "runtime"]
        runtime = v.get("runtime")
        assert runtime.kind == STRING and runtime.quote == '"'
        assert span(DEFAULT_RC, runtime) == b'"node22"'
        assert key_span(DEFAULT_RC, v, "runtime") == b'"runtime"'
        assert span(DEFAULT_RC, v.get("commands")) == b"{}"
        assert DEFAULT_RC[v.start] == ord("{")
        assert DEFAULT_RC[v.end - 1] == ord("}")
        assert_spans_consistent(DEFAULT_RC, v)

    def test_single_quoted_trailing_comma(self):
        data = b"{ \"functionsFolder\": 'out/functions', }"
        v = parse_json5(data)
        assert v.to_python() == {"functionsFolder": "out/functions"}
        ff = v.get("functionsFolder")
        assert ff.quote == "'"
        assert span(data, ff) == b"'out/functions'"
        assert (v.start, v.end) == (0, len(data))

    def test_plain_json(self):
        data = b'{"a": [1, 2.5, -3e2, true, false, null, "x"], "b": {"c": {}}}'
        assert parse_json5(data).to_python() == json.loads(data)


class TestJson5Features:
    def test_comments_everywhere(self):
        data = b"/*a*/[/*b*/1/*c*/,//d\n2//e\n]//f"
        v = parse_json5(data)
        assert v.to_python() == [1, 2]
        assert span(data, v) == b"[/*b*/1/*c*/,//d\n2//e\n]"
        assert [span(data, e) for e in v.elements] == [b"1", b"2"]

    def test_line_comment_ends_at_any_line_terminator(self):
        for term in ["\n", "\r", "\u2028", "\u2029"]:
            assert parse_json5(f"// x{term}5".encode()).to_python() == 5

    def test_comment_markers_inside_strings(self):
        data = b'{"url": "http://x/*y*/", \'c\': "// no"}'
        assert parse_json5(data).to_python() == {"url": "http://x/*y*/", "c": "// no"}

    def test_trailing_commas(self):
        assert parse_json5(b"[1,2,]").to_python() == [1, 2]
        assert parse_json5(b"{a:1,}").to_python() == {"a": 1}
        assert parse_json5(b"[[],{},]").to_python() == [[], {}]

    @pytest.mark.parametrize(
        "src, expected",
        [
            (r"'\x41'", "A"),
            (r'"\u0041"', "A"),
            (r'"\uD83D\uDE00"', "\U0001F600"),
            (r'"\uD83D"', "\ud83d"),  # a lone surrogate is kept, like JSON.parse
            (r"'\0'", "\0"),
            (r'"\b\f\n\r\t\v"', "\b\f\n\r\t\v"),
            (r"'\'\"\\\/'", "'\"\\/"),
            (r"'\a\c\d\é'", "acdé"),  # non-escape characters stand for themselves
            ("'a\\\nb'", "ab"),  # line continuations
            ("'a\\\r\nb'", "ab"),
            ("'a\\\rb'", "ab"),
            ("'a\\\u2028b'", "ab"),
            ("'a\\\u2029b'", "ab"),
            ("'raw\u2028sep'", "raw\u2028sep"),
            ("'tab\tinside'", "tab\tinside"),
            ("\"it's\"", "it's"),
            ("'say \"hi\"'", 'say "hi"'),
            ("''", ""),
        ],
    )
    def test_string_escapes(self, src, expected):
        data = src.encode()
        v = parse_json5(data)
        assert v.kind == STRING
        assert v.data == expected
        assert (v.start, v.end) == (0, len(data))
        assert v.quote == src[0]

    @pytest.mark.parametrize(
        "src, expected",
        [
            ("0x1F", 31),
            ("0XaB", 171),
            ("-0x10", -16),
            ("+0x10", 16),
            (".5", 0.5),
            ("5.", 5.0),
            ("+1", 1),
            ("-1", -1),
            ("+.5e1", 5.0),
            ("1e3", 1000.0),
            ("1E-2", 0.01),
            ("2.5e+2", 250.0),
            ("5.e1", 50.0),
            ("0", 0),
            ("-0", 0),
            ("0.0", 0.0),
            ("Infinity", math.inf),
            ("-Infinity", -math.inf),
            ("+Infinity", math.inf),
            ("123456789012345678901234567890", 123456789012345678901234567890),
        ],
    )
    def test_numbers(self, src, expected):
        v = parse_json5(src.encode())
        assert v.kind == NUMBER
        assert v.data == expected
        assert type(v.data) is type(expected)
        assert (v.start, v.end) == (0, len(src))

    def test_nan(self):
        for src in ["NaN", "-NaN", "+NaN"]:
            v = parse_json5(src.encode())
            assert v.kind == NUMBER and math.isnan(v.data)

    def test_huge_integer_does_not_hit_int_digit_limit(self):
        v = parse_json5(b"9" * 6000)
        assert v.kind == NUMBER and v.data == math.inf

    def test_literals(self):
        data = b"[true, false, null]"
        v = parse_json5(data)
        assert [e.kind for e in v.elements] == [BOOL, BOOL, NULL]
        assert v.to_python() == [True, False, None]
        assert [span(data, e) for e in v.elements] == [b"true", b"false", b"null"]

    def test_identifier_keys(self):
        data = "{ $dollar: 1, _under: 2, camelCase9: 3, ünïcødé: 4, \u03c0: 5, a\u0301b: 6, \\u0061bc: 7, null: 8, true: 9, Infinity: 10, a\u200dz: 11 }".encode()
        v = parse_json5(data)
        assert v.to_python() == {
            "$dollar": 1,
            "_under": 2,
            "camelCase9": 3,
            "ünïcødé": 4,
            "\u03c0": 5,
            "a\u0301b": 6,
            "abc": 7,
            "null": 8,
            "true": 9,
            "Infinity": 10,
            "a\u200dz": 11,
        }
        assert key_span(data, v, "ünïcødé") == "ünïcødé".encode()
        assert key_span(data, v, "abc") == b"\\u0061bc"
        assert span(data, v.get("ünïcødé")) == b"4"

    def test_whitespace_kinds(self):
        ws = "\t\n\x0b\x0c\r \xa0\u2028\u2029\ufeff\u2003\u3000"
        data = f"{ws}{{{ws}a{ws}:{ws}[{ws}1{ws},{ws}]{ws}}}{ws}".encode()
        v = parse_json5(data)
        assert v.to_python() == {"a": [1]}
        assert span(data, v).startswith(b"{") and span(data, v).endswith(b"}")
        assert span(data, v.get("a").elements[0]) == b"1"

    def test_duplicate_keys_kept_in_order_last_wins(self):
        data = b'{"a": 1, "b": 2, "a": 3}'
        v = parse_json5(data)
        assert v.keys() == ["a", "b", "a"]
        assert v.get("a").data == 3
        assert v.to_python() == {"a": 3, "b": 2}

    def test_byte_offsets_after_non_ascii(self):
        data = '{"ключ": "значение", "emoji😀": "x", \'k\': "node22", ñ: \'y\'}'.encode()
        v = parse_json5(data)
        assert span(data, v.get("ключ")) == '"значение"'.encode()
        assert key_span(data, v, "ключ") == '"ключ"'.encode()
        assert key_span(data, v, "emoji😀") == '"emoji😀"'.encode()
        assert span(data, v.get("emoji😀")) == b'"x"'
        assert span(data, v.get("k")) == b'"node22"'
        assert key_span(data, v, "ñ") == "ñ".encode()
        assert span(data, v.get("ñ")) == b"'y'"
        assert (v.start, v.end) == (0, len(data))
        assert_spans_consistent(data, v)

    def test_nested_spans(self):
        data = b'{"a": {"b": [1, {"c": "d"}]}}'
        v = parse_json5(data)
        assert span(data, v.get("a")) == b'{"b": [1, {"c": "d"}]}'
        assert span(data, v.path("a", "b")) == b'[1, {"c": "d"}]'
        assert span(data, v.path("a", "b").elements[1].get("c")) == b'"d"'

    def test_scalar_roots(self):
        assert parse_json5(b" 'x' ").to_python() == "x"
        assert parse_json5(b"// c\n42 /* d */").to_python() == 42
        assert parse_json5(b"null").kind == NULL

    def test_objects_have_members_and_data(self):
        v = parse_json5(b"{a: 1}")
        assert v.members and v.data is v.members


class TestJson5Errors:
    @pytest.mark.parametrize(
        "data, offset, fragment",
        [
            (b"", 0, "empty"),
            (b"   ", 3, "empty"),
            (b"// only a comment\n", 18, "empty"),
            (b"/* only */", 10, "empty"),
            (b"{a: 1 b: 2}", 6, "',' or '}'"),
            (b"[1 2]", 3, "',' or ']'"),
            (b"[1,,2]", 3, "expected a value"),
            (b"{,}", 1, "object key"),
            (b'{"a" 1}', 5, "':'"),
            (b"{a: }", 4, "value"),
            (b'"abc', 0, "unterminated string"),
            (b"'abc\ndef'", 0, "unterminated string"),
            (b"/* never closed", 0, "unterminated block comment"),
            (b"[1] 2", 4, "after the end"),
            (b"01", 0, "leading zeros"),
            (b"0x", 2, "hexadecimal"),
            (b"1e", 2, "exponent"),
            (b".", 1, "digit"),
            (b"-", 1, "end of input"),
            (b"1a", 1, "after number"),
            (b"undefined", 0, "undefined"),
            (b"{a: undefined}", 4, "undefined"),
            (b"Inf", 0, "Inf"),
            (b"[", 1, "end of input"),
            (b"{", 1, "end of input"),
            (b'{"a": 1', 7, "',' or '}'"),
            (b'"\\1"', 1, "escape"),
            (b'"\\01"', 1, "escape"),
            (b'"\\x4"', 4, "hexadecimal"),
            (b'"\\u12"', 5, "hexadecimal"),
            (b"{\\x61: 1}", 1, "escape"),
            (b"{\\u0031: 1}", 1, "identifier"),
            (b"{1: 2}", 1, "object key"),
            (b"\xff", 0, "UTF-8"),
            (b'["ok", "\xc3"]', 8, "UTF-8"),
            (b"/x", 0, "'/'"),
        ],
    )
    def test_error_offsets(self, data, offset, fragment):
        err = syntax_error(parse_json5, data)
        assert err.offset == offset, err.message
        assert fragment in err.message

    def test_error_offset_is_in_bytes(self):
        data = '{"ü": "é" "x": 1}'.encode()
        err = syntax_error(parse_json5, data)
        assert data[err.offset :].startswith(b'"x"')
        assert "',' or '}' after object member" in err.message

    def test_deep_nesting_is_a_syntax_error(self):
        err = syntax_error(parse_json5, b"[" * 100_000 + b"]" * 100_000)
        assert "nesting" in err.message
        # the limit itself is fine
        depth = 500
        v = parse_json5(b"[" * depth + b"]" * depth)
        assert v.kind == ARRAY

    def test_str_subclass_message(self):
        err = syntax_error(parse_json5, b"[1,")
        assert str(err) == err.message


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values, indent=st.sampled_from([None, 0, 1, 2, 4, "\t"]))
def test_json5_agrees_with_json_loads(value, indent):
    data = json.dumps(value, ensure_ascii=False, indent=indent).encode("utf-8")
    parsed = parse_json5(data)
    assert parsed.to_python() == json.loads(data)
    assert_spans_consistent(data, parsed)
    assert (parsed.start, parsed.end) == (0, len(data))


@settings(max_examples=200)
@given(value=json_values)
def test_json5_string_spans_roundtrip(value):
    """Re-decoding each string's span with json.loads gives the string's data."""
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")

    def walk(v: Value) -> None:
        if v.kind == STRING:
            assert json.loads(data[v.start : v.end]) == v.data
        elif v.kind == NUMBER:
            assert json.loads(data[v.start : v.end]) == v.data
        elif v.kind == OBJECT:
            for m in v.members:
                assert json.loads(data[m.key_start : m.key_end]) == m.key
                walk(m.value)
        elif v.kind == ARRAY:
            for e in v.data:
                walk(e)

    walk(parse_json5(data))


@settings(max_examples=500)
@given(st.binary(max_size=200))
def test_json5_arbitrary_bytes_only_raise_value_syntax_error(data):
    try:
        v = parse_json5(data)
    except ValueSyntaxError as e:
        assert 0 <= e.offset <= len(data)
    else:
        assert_spans_consistent(data, v)


_json5_alphabet = st.sampled_from(
    list("{}[],:'\"\\/*\n\r\t .+-0123456789eExXabfnrtuvINaly$_é\u2028\ufeff")
    + ["true", "null", "Infinity", "NaN", "//", "/*", "*/", "\\u", "\\x", "0x"]
)


@settings(max_examples=500)
@given(st.lists(_json5_alphabet, max_size=40).map("".join))
def test_json5_token_soup_only_raises_value_syntax_error(text):
    data = text.encode("utf-8")
    try:
        v = parse_json5(data)
    except ValueSyntaxError as e:
        assert 0 <= e.offset <= len(data)
    else:
        assert_spans_consistent(data, v)


# =========================================================================================
# YAML
# =========================================================================================

YAML_LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture(params=YAML_LOADERS, ids=lambda c: c.__name__)
def yparse(request):
    loader = request.param
    return lambda data: yaml_values._parse(data, loader)


RC_YAML = b"runtime: node18\nenvironments:\n  dev:\n    env: .env.dev\n"


class TestYaml:
    def test_public_function_uses_c_loader_when_available(self):
        assert parse_yaml(RC_YAML).to_python() == yaml.safe_load(RC_YAML)

    def test_real_world_rc(self, yparse):
        v = yparse(RC_YAML)
        assert v.to_python() == {"runtime": "node18", "environments": {"dev": {"env": ".env.dev"}}}
        runtime = v.get("runtime")
        assert runtime.kind == STRING and runtime.quote == ""
        assert span(RC_YAML, runtime) == b"node18"
        assert key_span(RC_YAML, v, "runtime") == b"runtime"
        assert span(RC_YAML, v.path("environments", "dev", "env")) == b".env.dev"
        assert span(RC_YAML, v.path("environments", "dev")) == b"env: .env.dev"
        assert span(RC_YAML, v) == RC_YAML.rstrip(b"\n")
        assert_spans_consistent(RC_YAML, v)

    def test_quotes_and_spans(self, yparse):
        data = b"a: 'single'\nb: \"double\"\nc: plain text\n"
        v = yparse(data)
        assert [v.get(k).quote for k in "abc"] == ["'", '"', ""]
        assert span(data, v.get("a")) == b"'single'"
        assert span(data, v.get("b")) == b'"double"'
        assert span(data, v.get("c")) == b"plain text"
        assert key_span(data, v, "c") == b"c"

    def test_quoted_key_span_includes_quotes(self, yparse):
        data = b'"my key": 1\n'
        v = yparse(data)
        assert key_span(data, v, "my key") == b'"my key"'

    def test_non_ascii_byte_offsets(self, yparse):
        data = "# коммент ✓\nключ: значение\nruntime: 'node22'\nemoji😀: [ü, \"ß\"]\n".encode()
        v = yparse(data)
        assert span(data, v.get("runtime")) == b"'node22'"
        assert key_span(data, v, "ключ") == "ключ".encode()
        assert span(data, v.get("ключ")) == "значение".encode()
        assert span(data, v.get("emoji😀")) == '[ü, "ß"]'.encode()
        assert [span(data, e) for e in v.get("emoji😀").elements] == ["ü".encode(), '"ß"'.encode()]
        assert_spans_consistent(data, v)

    def test_scalar_types_like_safe_load(self, yparse):
        data = (
            b"i: 42\nh: 0x1F\no: 0o17\nf: 1.5\ne: 1e3\ninf: .inf\nninf: -.inf\n"
            b"t: true\ny: yes\nn: no\nof: off\nnul: null\ntilde: ~\nempty:\n"
            b"s: '42'\nts: 2024-01-01\nsexa: 1:30\nstr: !!str 12\nflt: !!float 1\n"
        )
        v = yparse(data)
        expected = yaml.safe_load(data)
        expected["ts"] = "2024-01-01"  # timestamps are kept as their text
        assert v.to_python() == expected
        assert v.get("i").kind == NUMBER and v.get("i").data == 42
        assert v.get("h").data == 31
        assert v.get("y").kind == BOOL and v.get("y").data is True
        assert v.get("nul").kind == NULL and v.get("empty").kind == NULL
        assert v.get("s").kind == STRING and v.get("s").data == "42"
        assert v.get("str").kind == STRING and v.get("str").data == "12"
        assert v.get("flt").data == 1.0 and isinstance(v.get("flt").data, float)
        assert v.get("ts").kind == STRING
        assert span(data, v.get("i")) == b"42"
        assert span(data, v.get("inf")) == b".inf"

    def test_nan(self, yparse):
        v = yparse(b"x: .nan\n")
        assert v.get("x").kind == NUMBER and math.isnan(v.get("x").data)

    def test_invalid_int_text_falls_back_to_string(self, yparse):
        v = yparse(b"a: 0x_\nb: !!int abc\n")
        assert v.to_python() == {"a": "0x_", "b": "abc"}

    def test_unknown_tag_is_unknown(self, yparse):
        data = b"a: !Ref foo\nb: 1\n"
        v = yparse(data)
        assert v.get("a").kind == UNKNOWN
        assert span(data, v.get("a")).endswith(b"foo")
        assert v.get("b").data == 1

    def test_non_string_keys_use_source_text(self, yparse):
        v = yparse(b"1: a\ntrue: b\n~: c\n")
        assert v.keys() == ["1", "true", "~"]

    def test_flow_collections(self, yparse):
        data = b"l: [1, two, {x: y}]\nm: {a: 1, b: [ ]}\n"
        v = yparse(data)
        assert v.to_python() == {"l": [1, "two", {"x": "y"}], "m": {"a": 1, "b": []}}
        assert span(data, v.get("l")) == b"[1, two, {x: y}]"
        assert span(data, v.get("m")) == b"{a: 1, b: [ ]}"
        assert span(data, v.path("m", "b")) == b"[ ]"

    def test_block_sequence_and_block_scalar(self, yparse):
        data = b"list:\n  - a\n  - b\n\ntext: |\n  hello\n  world\n\n\nnext: 1\n"
        v = yparse(data)
        assert v.get("list").kind == ARRAY
        assert span(data, v.get("list")) == b"- a\n  - b"
        assert v.get("text").data == "hello\nworld\n"
        assert span(data, v.get("text")) == b"|\n  hello\n  world"
        assert v.get("text").quote == ""

    def test_empty_document(self, yparse):
        for data in [b"", b"   \n", b"# just a comment\n"]:
            v = yparse(data)
            assert (v.kind, v.start, v.end, v.data) == (NULL, 0, 0, None)

    def test_explicit_empty_document(self, yparse):
        assert yparse(b"---\n").kind == NULL

    def test_multiple_documents_first_wins(self, yparse):
        data = b"a: 1\n---\nb: 2\n---\n[broken\n"
        assert yparse(data).to_python() == {"a": 1}

    def test_scalar_document(self, yparse):
        data = b"--- hello\n"
        v = yparse(data)
        assert v.data == "hello" and span(data, v) == b"hello"

    def test_anchors_and_aliases_are_followed(self, yparse):
        data = b"base: &b {runtime: node18}\ndev: *b\nname: &n x\nalias: *n\n"
        v = yparse(data)
        assert v.to_python() == {
            "base": {"runtime": "node18"},
            "dev": {"runtime": "node18"},
            "name": "x",
            "alias": "x",
        }
        # the alias shares the anchored value, whose span is the anchored text
        assert span(data, v.path("dev", "runtime")) == b"node18"
        # the document's span still covers the aliases' own text
        assert span(data, v) == data.rstrip(b"\n")

    def test_block_collection_ending_with_alias(self, yparse):
        data = b"a: &x [1]\nlist:\n  - 1\n  - *x\nb: 2\n"
        v = yparse(data)
        assert span(data, v.get("list")) == b"- 1\n  - *x"

    def test_spans_exclude_anchors_and_tags(self, yparse):
        data = (
            b"a: &x foo\nb: !!str  # why\n  bar\nc: &m\n  k: v\nd: &s !t [1]\n"
            b"e: &n\nf: !<tag:yaml.org,2002:str> lit\n"
        )
        v = yparse(data)
        assert span(data, v.get("a")) == b"foo"
        assert span(data, v.get("b")) == b"bar"
        assert span(data, v.get("c")) == b"k: v"
        assert span(data, v.get("d")) == b"[1]"
        assert v.get("e").kind == NULL and v.get("e").start == v.get("e").end
        assert span(data, v.get("f")) == b"lit"
        assert_spans_consistent(data, v)

    def test_anchored_and_aliased_keys(self, yparse):
        data = b"? &k key\n: 1\n*k : 2\n&e : 3\n"
        v = yparse(data)
        assert v.keys() == ["key", "key", ""]
        assert [data[m.key_start : m.key_end] for m in v.members[:2]] == [b"key", b"*k"]
        assert key_span(data, v, "") == b""

    def test_merge_key_kept_as_member(self, yparse):
        data = b"base: &b\n  a: 1\nchild:\n  <<: *b\n  c: 2\n"
        v = yparse(data)
        child = v.get("child")
        assert child.keys() == ["<<", "c"]
        assert child.get("<<").to_python() == {"a": 1}
        assert key_span(data, child, "<<") == b"<<"

    def test_duplicate_keys(self, yparse):
        v = yparse(b"a: 1\na: 2\n")
        assert v.keys() == ["a", "a"] and v.get("a").data == 2

    def test_complex_keys_are_dropped(self, yparse):
        v = yparse(b"? [a, b]\n: 1\nc: 2\n")
        assert v.to_python() == {"c": 2}

    def test_alias_bomb(self, yparse):
        lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
        for i in range(1, 10):
            refs = ", ".join([f"*a{i - 1}"] * 10)
            lines.append(f"a{i}: &a{i} [{refs}]")
        data = ("\n".join(lines) + "\n").encode()
        err = syntax_error(yparse, data)
        assert "too large" in err.message

    def test_recursive_alias(self, yparse):
        err = syntax_error(yparse, b"a: &x [1, *x]\n")
        assert "recursive" in err.message
        assert err.offset == 10

    def test_undefined_alias(self, yparse):
        err = syntax_error(yparse, b"a: 1\nb: *nope\n")
        assert "undefined alias" in err.message
        assert err.offset == 8

    def test_deep_nesting(self, yparse):
        err = syntax_error(yparse, b"[" * 50_000 + b"]" * 50_000)
        assert "nesting" in err.message
        err = syntax_error(yparse, b"- " * 50_000 + b"x\n")
        assert "nesting" in err.message

    def test_deep_nesting_through_aliases(self, yparse):
        deep = "[" * 300 + "1" + "]" * 300
        data = f"a: &d {deep}\nb: [[[[{', '.join(['*d'] * 1)}]]]]\nc: {'[' * 250}*d{']' * 250}\n"
        err = syntax_error(yparse, data.encode())
        assert "nesting" in err.message

    @pytest.mark.parametrize(
        "data, offset, fragment",
        [
            (b"a: 'unterminated\n", 17, "quoted scalar"),
            (b"a: b: c\n", 4, "mapping values"),
            (b"a: 1\n]\n", 5, "block mapping"),
            (b"[a, b\n", 6, "flow sequence"),
            ("ключ: 'x\n".encode(), len("ключ: 'x\n".encode()), "quoted scalar"),
            ("é: [1, 2\n".encode(), len("é: [1, 2\n".encode()), "flow sequence"),
        ],
    )
    def test_errors(self, yparse, data, offset, fragment):
        err = syntax_error(yparse, data)
        assert err.offset == offset, err.message
        assert fragment in err.message

    def test_error_offset_in_bytes_after_non_ascii(self, yparse):
        data = "ключ: значение\nbad: b: c\n".encode()
        err = syntax_error(yparse, data)
        assert data[err.offset :].startswith(b": c")

    def test_reader_errors(self, yparse):
        err = syntax_error(yparse, b"a: \x01\n")
        assert err.offset == 3
        data = "é: \x01\n".encode()
        err = syntax_error(yparse, data)
        assert err.offset == data.index(b"\x01")

    def test_invalid_utf8(self, yparse):
        err = syntax_error(yparse, b"a: \xff\n")
        assert err.offset == 3 and "UTF-8" in err.message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values)
def test_yaml_agrees_with_safe_load_on_json_documents(value):
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    for loader in YAML_LOADERS:
        try:
            expected = yaml.load(data, Loader=loader)
        except yaml.YAMLError:  # e.g. a raw U+007F, which YAML does not allow
            with pytest.raises(ValueSyntaxError):
                yaml_values._parse(data, loader)
            continue
        parsed = yaml_values._parse(data, loader)
        assert parsed.to_python() == expected
        assert_spans_consistent(data, parsed)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=6), c, max_size=4),
        max_leaves=20,
    ),
    flow=st.booleans(),
)
def test_yaml_agrees_with_safe_load_on_block_documents(value, flow):
    data = yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow).encode("utf-8")
    for loader in YAML_LOADERS:
        parsed = yaml_values._parse(data, loader)
        assert parsed.to_python() == yaml.safe_load(data)
        assert_spans_consistent(data, parsed)


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_yaml_arbitrary_bytes_only_raise_value_syntax_error(data):
    for loader in YAML_LOADERS:
        try:
            v = yaml_values._parse(data, loader)
        except ValueSyntaxError as e:
            assert 0 <= e.offset <= len(data)
        else:
            assert_spans_consistent(data, v, nested=False)


_yaml_alphabet = st.sampled_from(
    list("{}[],:-?'\"|>&*!#%@`\n \t.~0123456789abxyzé")
    + ["<<", "---", "...", "&a ", "*a", "!!int ", "!!str ", "!Ref ", "yes", "0x", "\ufeff"]
)


@settings(max_examples=500)
@given(st.lists(_yaml_alphabet, max_size=40).map("".join))
def test_yaml_token_soup_only_raises_value_syntax_error(text):
    data = text.encode("utf-8")
    for loader in YAML_LOADERS:
        try:
            v = yaml_values._parse(data, loader)
        except ValueSyntaxError as e:
            assert 0 <= e.offset <= len(data)
        else:
            assert_spans_consistent(data, v, nested=False)


# =========================================================================================
# JavaScript config files
# =========================================================================================

JS_RC = (
    b"module.exports = { runtime: 'node18', functionsFolder: process.env.FN_DIR, "
    b"commands: { deploy: { loadSystemEnv: true } } };"
)


class TestJsConfig:
    def test_real_world_module_exports(self):
        v = parse_js_config(JS_RC)
        assert v.kind == OBJECT
        assert v.to_python() == {
            "runtime": "node18",
            "functionsFolder": None,
            "commands": {"deploy": {"loadSystemEnv": True}},
        }
        runtime = v.get("runtime")
        assert runtime.kind == STRING and runtime.quote == "'"
        assert span(JS_RC, runtime) == b"'node18'"
        assert key_span(JS_RC, v, "runtime") == b"runtime"
        ff = v.get("functionsFolder")
        assert ff.kind == UNKNOWN and span(JS_RC, ff) == b"process.env.FN_DIR"
        assert span(JS_RC, v.path("commands", "deploy", "loadSystemEnv")) == b"true"
        assert span(JS_RC, v).startswith(b"{ runtime") and span(JS_RC, v).endswith(b"} }")
        assert_spans_consistent(JS_RC, v)

    def test_const_then_module_exports_identifier(self):
        data = b"const config = {\n  runtime: \"node22\",\n};\n\nmodule.exports = config;\n"
        v = parse_js_config(data)
        assert v.to_python() == {"runtime": "node22"}
        assert span(data, v.get("runtime")) == b'"node22"'
        assert span(data, v) == b'{\n  runtime: "node22",\n}'

    def test_let_and_var_declarations_are_followed(self):
        for kw in ("let", "var"):
            data = f"{kw} cfg = {{ a: 1 }}; module.exports = cfg;".encode()
            assert parse_js_config(data).to_python() == {"a": 1}

    def test_exports_assignments(self):
        data = b"exports.runtime = 'node18';\nexports.assets = false;\nmodule.exports.x = [1];\n"
        v = parse_js_config(data)
        assert v.to_python() == {"runtime": "node18", "assets": False, "x": [1]}
        assert span(data, v.get("runtime")) == b"'node18'"
        assert key_span(data, v, "runtime") == b"runtime"
        assert (v.start, v.end) == (0, len(data.rstrip(b"\n")))

    def test_property_assignment_after_module_exports(self):
        data = b"module.exports = { a: 1 };\nmodule.exports.b = 2;\nexports.c = 3;\n"
        # `exports` no longer aliases module.exports after the reassignment
        assert parse_js_config(data).to_python() == {"a": 1, "b": 2}

    def test_chained_assignment(self):
        data = b"module.exports = exports = { a: 1 };"
        assert parse_js_config(data).to_python() == {"a": 1}

    def test_last_module_exports_wins(self):
        data = b"exports.a = 1;\nmodule.exports = { b: 2 };\nmodule.exports = { c: 3 };"
        assert parse_js_config(data).to_python() == {"c": 3}

    def test_export_default(self):
        data = b"export default { runtime: 'node20', nested: [1, 'two'] };\n"
        v = parse_js_config(data)
        assert v.to_python() == {"runtime": "node20", "nested": [1, "two"]}
        assert span(data, v.get("nested")) == b"[1, 'two']"

    def test_export_default_identifier_and_export_clause(self):
        data = b"const c = { a: 1 };\nexport default c;\n"
        assert parse_js_config(data).to_python() == {"a": 1}
        data = b"const c = { a: 2 };\nexport { c as default };\n"
        assert parse_js_config(data).to_python() == {"a": 2}

    def test_literal_kinds(self):
        data = (
            b"module.exports = {\n"
            b"  s1: 'single', s2: \"double\", s3: `template`, t: `a${b}c`,\n"
            b"  n1: 42, n2: -1.5, n3: 0x1F, n4: 1_000, n5: .5, n6: 1e3, n7: +2,\n"
            b"  b1: true, b2: false, nul: null, und: undefined,\n"
            b"  call: require('x'), cond: a ? 1 : 2, arr: [1, 'x', null],\n"
            b"  'quoted-key': 1, \"dq\": 2, 3: 'three', ['computed']: 4, [`tk`]: 5,\n"
            b"  inf: Infinity, neg: -Infinity, fn() { return 1; }, arrow: () => 1,\n"
            b"};\n"
        )
        v = parse_js_config(data)
        py = v.to_python()
        assert py["s1"] == "single" and py["s2"] == "double" and py["s3"] == "template"
        assert v.get("s3").quote == "`" and v.get("s2").quote == '"'
        assert v.get("t").kind == UNKNOWN and span(data, v.get("t")) == b"`a${b}c`"
        assert [py[f"n{i}"] for i in range(1, 8)] == [42, -1.5, 31, 1000, 0.5, 1000.0, 2]
        assert span(data, v.get("n2")) == b"-1.5"
        assert py["b1"] is True and py["b2"] is False
        assert v.get("nul").kind == NULL and v.get("und").kind == NULL
        assert v.get("call").kind == UNKNOWN and span(data, v.get("call")) == b"require('x')"
        assert v.get("cond").kind == UNKNOWN and span(data, v.get("cond")) == b"a ? 1 : 2"
        assert py["arr"] == [1, "x", None]
        assert py["quoted-key"] == 1 and py["dq"] == 2 and py["3"] == "three"
        assert key_span(data, v, "quoted-key") == b"'quoted-key'"
        assert py["computed"] == 4 and py["tk"] == 5
        assert key_span(data, v, "computed") == b"'computed'"
        assert py["inf"] == math.inf and py["neg"] == -math.inf
        assert v.get("fn").kind == UNKNOWN and v.get("arrow").kind == UNKNOWN

    def test_string_escapes(self):
        data = rb"""module.exports = { a: 'it\'s\n\x41\u0042\u{1F600}\0', b: "line\
cont", c: `tpl\tx`, d: '\uD83D\uDE00' };"""
        v = parse_js_config(data)
        assert v.to_python() == {"a": "it's\nAB\U0001F600\0", "b": "linecont", "c": "tpl\tx", "d": "\U0001F600"}

    def test_shorthand_resolution(self):
        data = b"const runtime = 'node22';\nconst dynamic = compute();\nmodule.exports = { runtime, dynamic, missing };\n"
        v = parse_js_config(data)
        assert v.get("runtime").data == "node22"
        # the value span is the literal in the declaration; the key span is the shorthand
        assert span(data, v.get("runtime")) == b"'node22'"
        assert data[v.member("runtime").key_start : v.member("runtime").key_end] == b"runtime"
        assert v.member("runtime").key_start > data.index(b"module")
        assert v.get("dynamic").kind == UNKNOWN
        assert span(data, v.get("dynamic")) == b"compute()"
        assert v.get("missing").kind == UNKNOWN
        assert span(data, v.get("missing")) == b"missing"

    def test_identifier_values_resolved(self):
        data = b"const RT = 'node22'; const base = { a: 1 };\nmodule.exports = { runtime: RT, base, other: NOPE };"
        v = parse_js_config(data)
        assert v.to_python() == {"runtime": "node22", "base": {"a": 1}, "other": None}
        assert v.get("other").kind == UNKNOWN

    def test_self_reference_does_not_loop(self):
        data = b"const a = { self: a, b };\nconst b = { a };\nmodule.exports = a;\n"
        v = parse_js_config(data)
        assert v.get("self").kind == UNKNOWN
        assert v.path("b", "a").kind == UNKNOWN

    def test_spread_is_skipped(self):
        data = b"const base = { x: 1 };\nmodule.exports = { ...base, runtime: 'node18', list: [...a, 2] };"
        v = parse_js_config(data)
        assert v.to_python() == {"runtime": "node18", "list": [2]}

    def test_array_holes(self):
        v = parse_js_config(b"module.exports = [1, , 2, ];")
        assert v.to_python() == [1, None, 2]

    def test_non_object_export(self):
        data = b"module.exports = 'just a string';"
        v = parse_js_config(data)
        assert v.kind == STRING and span(data, v) == b"'just a string'"
        v = parse_js_config(b"module.exports = makeConfig({ a: 1 });")
        assert v.kind == UNKNOWN

    def test_parenthesised_and_commented(self):
        data = b"/* header */\n// more\nmodule.exports = ({ /* c */ a: /* d */ 1, // e\n b: 2 });"
        v = parse_js_config(data)
        assert v.to_python() == {"a": 1, "b": 2}
        assert span(data, v) == b"{ /* c */ a: /* d */ 1, // e\n b: 2 }"

    def test_non_ascii_byte_offsets(self):
        data = "// ünïcødé ✓\nmodule.exports = { 'ключ': 'значение', émoji: '😀', runtime: 'node22' };".encode()
        v = parse_js_config(data)
        assert v.to_python() == {"ключ": "значение", "émoji": "😀", "runtime": "node22"}
        assert span(data, v.get("runtime")) == b"'node22'"
        assert key_span(data, v, "ключ") == "'ключ'".encode()
        assert span(data, v.get("ключ")) == "'значение'".encode()
        assert key_span(data, v, "émoji") == "émoji".encode()

    def test_no_export_is_empty_object(self):
        for data in [b"", b"// nothing\n", b"const a = 1;\nconsole.log(a);\n", b"function f() { module.exports = {a: 1}; }"]:
            v = parse_js_config(data)
            assert (v.kind, v.start, v.end, v.members) == (OBJECT, 0, 0, [])

    def test_syntax_errors(self):
        err = syntax_error(parse_js_config, b"module.exports = { a: 1, b: };")
        assert err.message == "JavaScript syntax error"
        assert err.offset == 27
        err = syntax_error(parse_js_config, b"const a = 1;\nmodule.exports = { a: 1 ")
        assert err.message == "JavaScript syntax error"
        assert err.offset >= len(b"const a = 1;\n")
        err = syntax_error(parse_js_config, b"module.exports = {\xff}")
        assert "UTF-8" in err.message and err.offset == 18

    def test_deep_nesting(self):
        err = syntax_error(parse_js_config, b"module.exports = " + b"[" * 5000 + b"]" * 5000 + b";")
        assert "nesting" in err.message
        err = syntax_error(parse_js_config, b"module.exports = " + b"{a:" * 2000 + b"1" + b"}" * 2000 + b";")
        assert "nesting" in err.message
        v = parse_js_config(b"module.exports = " + b"[" * 400 + b"]" * 400 + b";")
        assert v.kind == ARRAY

    def test_long_identifier_chain(self):
        decls = "".join(f"const v{i} = v{i + 1};\n" for i in range(2000))
        data = (decls + "const v2000 = 'end';\nmodule.exports = { x: v0 };\n").encode()
        # identifier chains are followed iteratively: no recursion, no error
        v = parse_js_config(data)
        assert v.get("x").data == "end"
        assert span(data, v.get("x")) == b"'end'"

    def test_typescript(self):
        data = b"import type { Config } from './t';\nconst c = { runtime: 'node22' } as const;\nexport default { ...c, assets: true, r: c.runtime } satisfies Config;\n"
        v = parse_js_config(data, typescript=True)
        assert v.to_python() == {"assets": True, "r": None}
        data = b"const c: Config = { runtime: 'node22' };\nexport default c!;\n"
        v = parse_js_config(data, typescript=True)
        assert v.to_python() == {"runtime": "node22"}
        assert span(data, v.get("runtime")) == b"'node22'"

    def test_typescript_syntax_in_js_is_an_error(self):
        with pytest.raises(ValueSyntaxError):
            parse_js_config(b"const c: Config = { a: 1 };\nmodule.exports = c;")


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_js_arbitrary_bytes_only_raise_value_syntax_error(data):
    for ts in (False, True):
        try:
            v = parse_js_config(data, typescript=ts)
        except ValueSyntaxError as e:
            assert 0 <= e.offset <= len(data)
        else:
            assert_spans_consistent(data, v, nested=False)


_js_alphabet = st.sampled_from(
    list("{}[](),:;.'\"`\\=+-*/!?\n ")
    + ["module", "exports", "module.exports = ", "exports.a = ", "export default ", "const a = ",
       "a", "b", "1", "0x1F", "1e3", "true", "null", "undefined", "...", "${", "\\u", "\\x41",
       "'s'", '"d"', "`t`", "[a]", "//", "/*", "*/", "é", "as const", "satisfies X"]
)


@settings(max_examples=400)
@given(st.lists(_js_alphabet, max_size=30).map("".join))
def test_js_token_soup_only_raises_value_syntax_error(text):
    data = text.encode("utf-8")
    for ts in (False, True):
        try:
            v = parse_js_config(data, typescript=ts)
        except ValueSyntaxError as e:
            assert 0 <= e.offset <= len(data)
        else:
            assert_spans_consistent(data, v, nested=False)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values)
def test_js_object_literal_agrees_with_json(value):
    data = ("module.exports = " + json.dumps(value, ensure_ascii=False, indent=1) + ";\n").encode()
    v = parse_js_config(data)
    expected = json.loads(json.dumps(value))
    assert v.to_python() == expected
    assert_spans_consistent(data, v)


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet=" \t\u00a0\u2003\u3000#a=b'\"\\\\é", max_size=40))
def test_unquoted_env_value_is_python_dotenvs(part):
    """twilint.sources.dotenv.unquoted_value, the linear stand-in for a step of
    python-dotenv's parser, gives what that step gives (the value less its comment)."""
    import re

    from twilint.sources.dotenv import unquoted_value

    assert unquoted_value(part) == re.sub(r"\s+#.*", "", part).rstrip()


def test_env_values_parse_as_python_dotenv_parses_them():
    """The whole parse, with that step in place, against python-dotenv's own parser."""
    import importlib.util
    import io
    import os

    import dotenv

    from twilint.sources.dotenv import parse_env

    # a private, unpatched copy of python-dotenv's parser
    path = os.path.join(os.path.dirname(dotenv.__file__), "parser.py")
    spec = importlib.util.spec_from_file_location("dotenv_parser_reference", path)
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    assert not hasattr(reference, "_twilint_linear")
    text = "A=1 # c\nB=x#y\nC = two words   # c\nD=\t\u00a0v #\nE='q # not' # c\nF=\"d\" #\nG=a#b #c\nH=  \n"
    got = [(e.key, e.value) for e in parse_env(text.encode()).entries]
    want = [(b.key, b.value) for b in reference.parse_stream(io.StringIO(text)) if b.key is not None]
    assert got == want and len(got) == 8
