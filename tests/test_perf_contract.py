"""The handler analyses made faster (issue 9) find exactly what they found before.

* Every rule that follows a handler's parameters reads one shared walk (``handler_paths``) through
  its own view of kinds; the walk is made once per handler and file.
* The walk skips subtrees that cannot name a tracked value (``PathWalk._inert``): a walk given
  the tree's index must record what a walk of every node records, on tricky code and on every
  fixture.
* The contract reads the per-file node index instead of walking the tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, write_tree
from twilint.analysis.handler import find_handlers, twilio_handlers
from twilint.analysis.paths import BIND, REST, PathTracker, PathWalk, handler_accesses, handler_paths, path_kind
from twilint.sources.js import SCRIPT_EXTENSIONS, parse_script

HEADERS = {("event", "request"): "request", ("request", "headers"): "headers"}
PACKAGE_JSON = '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3"}}'


def _summary(walk: PathWalk):
    """What a walk found, by position (node objects differ between walks)."""
    accesses = [(a.kind, a.key, a.key_node.start_byte, a.node.start_byte, a.node.end_byte, a.via, a.shorthand, a.write)
                for a in walk.accesses]
    refs = [(k, n.start_byte, n.end_byte) for k, n in walk.refs]
    return accesses, refs


def _both_walks(js, handler):
    pruned = PathWalk(js)
    pruned.run(handler.function, handler.params)
    full = PathWalk(None)  # no index: every node is visited
    full.run(handler.function, handler.params)
    return pruned, full


def _walk(code: str, lang: str = "javascript") -> PathWalk:
    js = parse_script(code.encode(), lang)
    assert not js.has_error
    (handler,) = find_handlers(js)
    pruned, full = _both_walks(js, handler)
    assert _summary(pruned) == _summary(full)
    return pruned


def _keys(walk: PathWalk, steps: dict, roots: dict, kind: str, **kw) -> list[str | None]:
    return [a.key for a in walk.view(steps, roots, **kw).accesses if a.kind == kind]


# -- skipping subtrees is invisible ----------------------------------------------------------


TRICKY = {
    "aliases": """
exports.handler = function (context, event, callback) {
  const cb = callback;
  const done = callback.bind(null);
  const h = event.request.headers;
  let later;
  if (h['X-Twilio-Signature']) { later = event.request; }
  const unrelated = [1, 2, 3].map((x) => x * 2);
  console.log(later.headers.Host, unrelated);
  setTimeout(() => done(null, 'late'), 10);
  cb(null, h.Accept);
};
""",
    "destructuring and rest": """
exports.handler = async (context, event, callback) => {
  const { request: { headers: { 'X-Api-Key': key, Host } }, Body = 'none', ...rest } = event;
  const { ACCOUNT_SID, AUTH_TOKEN: token } = context;
  const [first] = rest.request.cookies.Session;
  let target;
  ({ request: target } = event);
  return callback(null, [key, Host, Body, first, ACCOUNT_SID, token, target.headers.Origin]);
};
""",
    "renamed parameters and shadowing": """
exports.handler = (ctx, evt, done) => {
  function inner(evt) { return evt.request.headers.Ignored; }
  try { JSON.parse(evt.Body); } catch (evt) { return done(evt); }
  const fn = function evt() { return 1; };
  for (const evt of [1, 2]) { console.log(evt.request); }
  return done(null, evt.request.headers['User-Agent'] + inner({}) + fn() + ctx.DOMAIN_NAME);
};
""",
    "declarations outside a block scope": """
exports.handler = function (context, event, callback) {
  let y;
  {
    switch (Math.random() > 0.5) { case true: let y = 2; }
    y = event;
  }
  if (Math.random()) var z = 1;
  z = event.request;
  label: for (;;) { break label; }
  callback(null, String(y.request.headers.Gone) + z.headers.Kept);
};
""",
    "names only in strings, comments and escapes": """
exports.handler = function (context, event, callback) {
  // event.request.headers.Comment
  const text = 'event.request.headers.String';
  const \\u0065vent = { request: { headers: {} } };
  const other = { callback: 1, event: 2 };
  callback(null, text + other.event + \\u0065vent.request.headers.Escaped);
};
""",
    "has-own, in, delete, assignment": """
exports.handler = function (context, event, callback) {
  const headers = event.request.headers;
  if ('X-Custom' in headers || headers.hasOwnProperty('Accept') || Object.hasOwn(headers, 'Origin')) {
    delete headers.Cookie;
    headers['X-Set'] = 'x';
    headers.Count += 1;
  }
  Object.prototype.hasOwnProperty.call(event.request.headers, 'Referer');
  callback();
};
""",
    "classes, generators and var hoisting": """
exports.handler = function (context, event, callback) {
  class Helper { constructor() { this.e = event.request.headers.InClass; } static { var event = 1; } }
  function* gen() { yield event.request.headers.InGenerator; }
  for (var i = 0; i < 2; i++) { var hoisted = event.request; }
  callback(null, new Helper().e + gen().next().value + hoisted.headers.AfterLoop);
};
""",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_skipping_subtrees_records_the_same(name):
    _walk(TRICKY[name])


def test_typescript_handler():
    code = """
export const handler = async (context: any, event: { request: any }, callback: (e: any, r?: any) => void) => {
  const headers = (event.request as any).headers!;
  const { Origin }: { Origin: string } = event.request.headers;
  callback(null, headers['X-Ts'] + Origin);
};
"""
    walk = _walk(code, "typescript")
    assert _keys(walk, HEADERS, {1: "event"}, "headers") == ["Origin", "X-Ts"]


def test_views_follow_aliases_destructuring_and_renamed_parameters():
    walk = _walk(TRICKY["aliases"])
    assert _keys(walk, HEADERS, {1: "event"}, "headers") == ["X-Twilio-Signature", "Host", "Accept"]
    contract = walk.view({}, {1: "event", 2: "callback"}, callables=frozenset({"callback"}))
    callback_refs = [n.text for k, n in contract.refs if k == "callback"]
    assert callback_refs == [b"callback", b"callback", b"done", b"cb"]  # a bound copy is the callback
    plain = walk.view({}, {2: "callback"})  # without `callables`, a bound copy is another value
    assert [n.text for k, n in plain.refs if k == "callback"] == [b"callback", b"callback", b"cb"]

    walk = _walk(TRICKY["destructuring and rest"])
    assert _keys(walk, HEADERS, {1: "event"}, "headers") == ["X-Api-Key", "Host", "Origin"]
    cookies = {("event", "request"): "request", ("request", "cookies"): "cookies"}
    assert _keys(walk, cookies, {1: "event"}, "cookies") == ["Session"]  # `...rest` is still event
    assert _keys(walk, cookies, {1: "event"}, "cookies", rest_kinds={"event": "event-rest"}) == []
    assert _keys(walk, {}, {0: "context"}, "context") == ["ACCOUNT_SID", "AUTH_TOKEN"]

    walk = _walk(TRICKY["renamed parameters and shadowing"])
    assert _keys(walk, HEADERS, {1: "event"}, "headers") == ["User-Agent"]
    assert _keys(walk, {}, {1: "event"}, "event") == ["Body", "request"]

    walk = _walk(TRICKY["declarations outside a block scope"])
    assert _keys(walk, HEADERS, {1: "event"}, "headers") == ["Kept"]  # `y` was the block's own

    walk = _walk(TRICKY["names only in strings, comments and escapes"])
    assert _keys(walk, HEADERS, {1: "event"}, "headers") == []


def test_skipping_happens():
    js = parse_script(TRICKY["aliases"].encode(), "javascript")
    (handler,) = find_handlers(js)
    walk = PathWalk(js)
    skipped = []
    inert = walk._inert

    def spy(node):
        if inert(node):
            skipped.append(node.text)
            return True
        return False

    walk._inert = spy
    walk.run(handler.function, handler.params)
    assert b"[1, 2, 3].map((x) => x * 2)" in skipped  # names nothing tracked


def _script_files(root: Path):
    for p in sorted(root.rglob("*")):
        if p.suffix.lower() in SCRIPT_EXTENSIONS and "node_modules" not in p.parts and p.is_file():
            yield p


def _corpus_roots() -> list[Path]:
    roots = [FIXTURES]
    bench = Path.home() / ".cache" / "twilint-bench" / "corpus"
    if bench.is_dir():
        roots.append(bench)  # the benchmark corpus, when this machine has it
    return roots


def test_skipping_subtrees_records_the_same_on_every_fixture():
    handlers = 0
    for root in _corpus_roots():
        for p in _script_files(root):
            data = p.read_bytes()
            if len(data) > 300_000:
                continue
            js = parse_script(data, SCRIPT_EXTENSIONS[p.suffix.lower()])
            if js.has_error:
                continue
            for h in find_handlers(js):
                pruned, full = _both_walks(js, h)
                assert _summary(pruned) == _summary(full), p
                handlers += 1
    assert handlers > 50


# -- views -------------------------------------------------------------------------------------


def test_path_kind():
    assert path_kind((1, "request", "headers"), HEADERS, {1: "event"}) == "headers"
    assert path_kind((1, "request", "headers", "host"), HEADERS, {1: "event"}) is None
    assert path_kind((0, "request"), HEADERS, {1: "event"}) is None  # parameter 0 is not followed
    assert path_kind((1, REST, "request"), HEADERS, {1: "event"}) == "request"
    assert path_kind((1, REST, "request"), HEADERS, {1: "event"}, rest_kinds={"event": "event-rest"}) is None
    assert path_kind((2, BIND), {}, {2: "callback"}) is None
    assert path_kind((2, BIND, BIND), {}, {2: "callback"}, callables=frozenset({"callback"})) == "callback"


def test_path_tracker_keeps_its_interface():
    code = TRICKY["aliases"]
    js = parse_script(code.encode(), "javascript")
    (h,) = find_handlers(js)
    tracker = PathTracker({}, callables=frozenset({"callback"}))
    accesses = tracker.run(h.function, h.params, {2: "callback"})
    assert [(a.kind, a.key) for a in accesses] == [("callback", "bind")]
    assert [n.text for k, n in tracker.refs] == [b"callback", b"callback", b"done", b"cb"]
    assert [a.key for a in PathTracker(HEADERS).run(h.function, h.params, {1: "event"}) if a.kind == "headers"] == \
        ["X-Twilio-Signature", "Host", "Accept"]


# -- one walk per handler and file ---------------------------------------------------------------


def _project_file(tmp_path, code: str):
    from twilint.project import discover

    root = write_tree(tmp_path / "p", {"package.json": PACKAGE_JSON, "functions/hello.js": code})
    (project,) = discover([root]).projects.values()
    return project.files[(root / "functions" / "hello.js").resolve()]


def test_rules_share_one_walk_per_handler(tmp_path, monkeypatch):
    from twilint.engine import facts_for, lint_file
    from twilint.model import Severity
    from twilint.rules import all_rules

    file = _project_file(tmp_path, TRICKY["aliases"].replace("console.log(", "console.log(context.TWILIO_ACCOUNT_SID, "))
    runs = []
    original = PathWalk.run
    monkeypatch.setattr(PathWalk, "run", lambda self, fn, params: runs.append(fn.id) or original(self, fn, params))
    names = ["await-in-sync-handler", "callback-not-called", "code-after-callback", "missing-catch",
             "event-spread-leaks-request", "lowercase-header-access", "restricted-header", "cookie-case",
             "header-multivalue", "unprotected-webhook", "twilio-prefixed-context-var", "undefined-context-var",
             "unguarded-service-sid"]
    rules = [(all_rules()[n], Severity.WARNING) for n in names]
    diags = lint_file(file, rules, facts_for(file.project))
    (handler,) = twilio_handlers(file)
    assert runs == [handler.function.id]  # one walk, whatever rules ran
    assert {d.rule for d in diags} >= {"lowercase-header-access", "restricted-header"}

    walk = handler_paths(file, handler)
    assert handler_paths(file, handler) is walk
    steps = dict(HEADERS)  # an equal dict of another rule: the same view
    assert handler_accesses(file, handler, steps, {1: "event"}) is handler_accesses(file, handler, HEADERS, {1: "event"})
    file.release()  # the walk goes with the tree
    (handler,) = twilio_handlers(file)
    assert handler_paths(file, handler) is not walk
    assert len(runs) == 2


# -- the contract's index reads -----------------------------------------------------------------


def test_node_index_is_in_walk_order():
    """The contract reads the node index where it walked named children: every type lists the
    nodes such a walk meets, in its order, and _file_names's merge by offset of the declaration
    types is the walk's order too (later names depend on earlier ones)."""
    import heapq
    from collections import defaultdict

    declarations = ("function_declaration", "generator_function_declaration", "variable_declarator")
    checked = 0
    for p in _script_files(FIXTURES):
        js = parse_script(p.read_bytes(), SCRIPT_EXTENSIONS[p.suffix.lower()])
        if js.has_error:
            continue
        walked, by_type, stack = [], defaultdict(list), [js.root]
        while stack:
            n = stack.pop()
            by_type[n.type].append(n.id)
            if n.type in declarations:
                walked.append(n.id)
            stack.extend(reversed(n.named_children))
        for t, ids in by_type.items():
            assert [n.id for n in js.nodes(t)] == ids, (p, t)
        merged = heapq.merge(*(js.nodes(t) for t in declarations), key=lambda n: n.start_byte)
        assert [n.id for n in merged] == walked, p
        checked += 1
    assert checked > 50


def test_spelled_finds_what_filtering_every_identifier_finds():
    """JsTree.spelled (a byte search, then the node there) gives the identifiers and shorthand
    properties of a name that filtering the index of every identifier by text gives, inside the
    whole file and inside each function, escapes and names inside longer words included."""
    from twilint.sources.js import spelled

    types = ("identifier", "shorthand_property_identifier")
    extra = parse_script(
        "const res = 1, response = res; const { res: r2, resp } = x; o.res = `${res}`; // res\n"
        "function f(res) { return { res, b: 'res' }; } let \\u0072es = 2; var café = res + café;\n".encode(),
        "javascript")
    trees = [extra] + [parse_script(p.read_bytes(), SCRIPT_EXTENSIONS[p.suffix.lower()]) for p in _script_files(FIXTURES)]
    compared = 0
    for js in trees:
        names = {n.text.decode() for t in types for n in js.nodes(t)}
        scopes = [None] + js.nodes("function_declaration")[:3] + js.nodes("arrow_function")[:3]
        for name in sorted(names)[:40]:
            for scope in scopes:
                want = sorted((n for t in types for n in js.nodes(t, scope) if n.text == name.encode()),
                              key=lambda n: n.start_byte)
                got = js.spelled(name, types, scope)
                assert [n.id for n in got] == [n.id for n in want], (name, scope)
                compared += len(want)
            assert [n.id for n in spelled(js.root, name, types)] == [n.id for n in js.spelled(name, types)]
    assert compared > 1000
    # not the pattern key `res:`, `o.res`, the comment, the string or the escaped `\\u0072es`
    assert [n.start_byte for n in extra.spelled("res", types)] == [6, 26, 71, 96, 112, 161]
    assert [n.text for n in extra.spelled("café", ("identifier",))] == ["café".encode()] * 2


def test_returns_in_try_skip_nested_functions_and_trys(tmp_path):
    from twilint.analysis.contract import contract_findings

    code = """
const axios = require('axios');
exports.handler = function (context, event, callback) {
  try {
    if (event.a) {
      return axios.get('https://example.com/first');
    }
    const later = () => { return axios.get('https://example.com/nested-function'); };
    try {
      return axios.get('https://example.com/nested-try');
    } catch (e) {
      return axios.get('https://example.com/nested-catch');
    }
    return axios.post('https://example.com/last', later);
  } catch (err) {
    callback(err);
  }
};
"""
    file = _project_file(tmp_path, code)
    found = [code.encode()[f.start:f.end].decode() for f in contract_findings(file)
             if f.rule == "missing-catch" and "returned without `await` inside try" in f.message]
    # the inner try's catch does not call back; what the inner try returns is its own business
    assert found == ["axios.post('https://example.com/last', later)", "axios.get('https://example.com/first')"]


# -- pre-filters and short cuts of the contract (issue 9, second pass) -------------------------

CONTRACT_CODE = {
    "clients-and-requests": """
const axios = require('axios');
const twilio = require('twilio');
const client = twilio(process.env.SID, process.env.TOKEN);
const other = client;
const made = new twilio.Twilio('a', 'b');
async function helper() { throw new Error('x'); }
const wrap = () => new Promise((resolve) => setTimeout(resolve, 10));
function slow() { return new Promise((resolve, reject) => { fetch('/x').then(resolve); }); }
exports.handler = async function (context, event, callback) {
  const c = context.getTwilioClient();
  const copy = { ...event };
  const { request, ...rest } = event;
  const { a, ...leaky } = event;
  other.messages.create({ to: event.To, body: 'x' });
  await made.calls.create(copy);
  await axios.post('/hook', leaky);
  await helper();
  await wrap();
  slow();
  c.messages.create({ ...event }).then(() => callback(null, 'ok'));
};
""",
    "callbacks-in-nested-functions": """
exports.handler = function (context, event, callback) {
  const done = (err) => callback(err);
  function finish() { callback(null, 'x'); console.log('after'); }
  setTimeout(() => callback(null, 'late'), 9000);
  fetch('/x').then((r) => { callback(null, r); r.json(); }).catch(console.error);
  if (event.x) { return finish(); }
  return done();
};
""",
    "no-callback": """
exports.handler = async (context, event) => {
  const data = { ...event };
  await fetch('/x', { body: JSON.stringify(data) });
  return data;
};
""",
}


@pytest.mark.parametrize("name", sorted(CONTRACT_CODE))
def test_contract_prefilters_change_nothing(tmp_path, monkeypatch, name):
    from twilint import model
    from twilint.analysis.contract import contract_findings

    file = _project_file(tmp_path, CONTRACT_CODE[name])
    found = {}
    for on in (True, False):
        monkeypatch.setattr(model, "PREFILTERS", on)
        file.release()
        found[on] = [(f.rule, f.start, f.end, f.message) for f in contract_findings(file)]
    assert found[True] == found[False]


def test_views_of_equal_arguments_are_equal_whatever_the_order():
    walk = _walk(TRICKY["aliases"])
    steps = dict(HEADERS)
    reordered = dict(reversed(list(HEADERS.items())))
    a = walk.view(steps, {1: "event"})
    b = walk.view(reordered, {1: "event"})
    assert [(x.kind, x.key, x.node.id) for x in a.accesses] == [(x.kind, x.key, x.node.id) for x in b.accesses]
    assert [(k, n.id) for k, n in a.refs] == [(k, n.id) for k, n in b.refs]
    assert walk.view(dict(HEADERS), {1: "event"}) is a


def test_classify_value_reads_a_lazy_context_only_for_token_shaped_values():
    from twilint.analysis.secrets import classify_value

    values = ["a" * 40, "0123456789abcdef0123456789abcdef", "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
              "AC" + "0123456789abcdef0123456789abcdef", "-----BEGIN PRIVATE KEY-----\nabc", " x7Y2kQ9mZ4pL8vN3rT6wB1cF5hJ0dG2s "]
    for v in values:
        for ctx in (True, False):
            calls = []
            assert classify_value(v, lambda: calls.append(1) or ctx) == classify_value(v, ctx)
    calls = []
    classify_value("a" * 40, lambda: calls.append(1) or True)
    assert not calls
