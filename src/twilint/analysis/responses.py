"""Shared tree-sitter helpers for the request/response and Runtime rules.

`Twilio.Response` calls (``appendHeader``, ``setHeaders``, ``setCookie``, ``setBody``), the
responses a file creates and where they go, and the global ``Runtime`` object. Everything works
on tree-sitter nodes, so comments and string contents never count.
"""

from __future__ import annotations

from twilint.analysis.handler import FUNCTION_TYPES, _params
from twilint.analysis.paths import is_callee, static_key
from twilint.records import field, record
from twilint.sources.js import node_text, spelled, string_value, tree_of, typed, unwrap_parens


def server_code(file) -> bool:
    """A JS/TS file of a Twilio project that runs on the platform: a Function, or a private script
    Asset (loaded with ``require(Runtime.getAssets()[...].path)``). Public and protected script
    Assets are served to browsers, so they are not server code."""
    project = file.project
    if file.kind not in ("js", "ts") or not project.is_twilio:
        return False
    if file.role == "asset":
        if file.visibility != "private":
            return False
    elif file.role != "function":
        return False
    js = file.js
    return js is not None and not js.has_error


def args_of(call) -> list:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type != "comment"]


def member_call(node):
    """``obj.name(args)`` -> (obj node, name); None for anything else (:func:`method_call`
    without listing the arguments, for loops over every call of a file)."""
    if node is None or node.type != "call_expression":
        return None
    fn = unwrap_parens(node.child_by_field_name("function"))
    if fn is None or fn.type != "member_expression":
        return None
    name = static_key(fn.child_by_field_name("property"))
    if name is None:
        return None
    return fn.child_by_field_name("object"), name


def method_call(node):
    """``obj.name(args)`` -> (obj node, name, args); None for anything else."""
    mc = member_call(node)
    return None if mc is None else (mc[0], mc[1], args_of(node))


def chain_root(node):
    """The receiver at the bottom of a method chain: ``r.setBody(x).appendHeader(...)`` -> ``r``."""
    node = unwrap_parens(node)
    while node is not None:
        mc = member_call(node)
        if mc is None:
            return node
        node = unwrap_parens(mc[0])
    return node


def is_twilio_response_new(node) -> bool:
    """``new Twilio.Response()`` (optionally ``new Twilio.Response``)."""
    node = unwrap_parens(node)
    if node is None or node.type != "new_expression":
        return False
    ctor = unwrap_parens(node.child_by_field_name("constructor"))
    return ctor is not None and node_text(ctor).replace(" ", "") in ("Twilio.Response", "twilio.Response")


def enclosing_function(node):
    n = node.parent
    while n is not None:
        if n.type in FUNCTION_TYPES:
            return n
        n = n.parent
    return None


_DECLARING = ("variable_declarator", "function_declaration", "class_declaration", "generator_function_declaration",
              "formal_parameters", "arrow_function", "import_specifier", "namespace_import", "import_clause")


def local_names(root) -> set[str]:
    """Names declared anywhere in the file (variables, functions, classes, parameters)."""
    out: set[str] = set()
    for n in (n for t in _DECLARING for n in typed(root, t)):
        t = n.type
        if t == "variable_declarator":
            _pattern_names(n.child_by_field_name("name"), out)
        elif t in ("function_declaration", "class_declaration", "generator_function_declaration"):
            name = n.child_by_field_name("name")
            if name is not None:
                out.add(node_text(name))
        elif t == "formal_parameters":
            for p in n.named_children:
                _pattern_names(p, out)
        elif t == "arrow_function":
            p = n.child_by_field_name("parameter")
            if p is not None:
                _pattern_names(p, out)
        elif t in ("import_specifier", "namespace_import", "import_clause"):
            for c in n.named_children:
                if c.type == "identifier":
                    out.add(node_text(c))
    return out


def _pattern_names(p, out: set) -> None:
    if p is None:
        return
    if p.type in ("identifier", "shorthand_property_identifier_pattern"):
        out.add(node_text(p))
        return
    if p.type in ("required_parameter", "optional_parameter"):
        _pattern_names(p.child_by_field_name("pattern"), out)
        return
    if p.type == "pair_pattern":
        _pattern_names(p.child_by_field_name("value"), out)
        return
    if p.type in ("assignment_pattern", "object_assignment_pattern"):
        _pattern_names(p.child_by_field_name("left"), out)
        return
    for c in p.named_children:
        if p.type in ("object_pattern", "array_pattern", "rest_pattern"):
            _pattern_names(c, out)


def runtime_is_global(file) -> bool:
    """``Runtime`` in this file is the platform's global (nothing in the file declares it)."""
    cache = file.__dict__.setdefault("_responses_cache", {})
    if "runtime" not in cache:
        js = file.js
        cache["runtime"] = not js.mentions(b"Runtime") or "Runtime" not in local_names(js.root)
    return cache["runtime"]


def runtime_calls(file, method: str):
    """Every ``Runtime.<method>()`` call of the file (the global Runtime only)."""
    if not file.js.mentions(b"Runtime") or not runtime_is_global(file):
        return []
    cache = file.__dict__.setdefault("_responses_cache", {})
    by_method = cache.get("runtime_calls")
    if by_method is None:  # every Runtime.<x>() call of the file, by method, found once
        by_method = cache["runtime_calls"] = {}
        for n in file.js.nodes("call_expression"):
            mc = member_call(n)
            if mc is None:
                continue
            obj = unwrap_parens(mc[0])
            if obj is not None and obj.type == "identifier" and node_text(obj) == "Runtime":
                by_method.setdefault(mc[1], []).append(n)
    return list(by_method.get(method, ()))


# -- header and cookie calls ----------------------------------------------------------------


@record
class HeaderSet:
    call: object  # the appendHeader / setHeaders call
    method: str  # "appendHeader" | "setHeaders"
    key: str | None  # static header name
    key_node: object
    value: object  # the value node
    receiver: object  # the chain root (usually the response identifier)


@record
class CookieSet:
    call: object
    name: str | None
    name_node: object
    value: object | None
    attributes: object | None  # the attributes argument node (an array, usually)
    receiver: object


def header_sets(root) -> list[HeaderSet]:
    out = []
    js = tree_of(root)
    if js is not None and not js.mentions(b"appendHeader", b"setHeaders"):
        return out
    for n in typed(root, "call_expression"):
        mc = member_call(n)
        if mc is None or mc[1] not in ("appendHeader", "setHeaders"):
            continue
        obj, name = mc
        args = args_of(n)
        if name == "appendHeader" and len(args) >= 2:
            k = args[0]
            out.append(HeaderSet(n, name, static_key(k) if k.type in ("string", "template_string") else None,
                                 k, args[1], chain_root(obj)))
        elif name == "setHeaders" and len(args) >= 1:
            o = unwrap_parens(args[0])
            if o is None or o.type != "object":
                continue
            for pair in o.named_children:
                if pair.type != "pair":
                    continue
                k = pair.child_by_field_name("key")
                out.append(HeaderSet(n, name, static_key(k), k, pair.child_by_field_name("value"), chain_root(obj)))
    return out


def cookie_sets(root) -> list[CookieSet]:
    out = []
    js = tree_of(root)
    if js is not None and not js.mentions(b"setCookie"):
        return out
    for n in typed(root, "call_expression"):
        mc = member_call(n)
        if mc is None or mc[1] != "setCookie":
            continue
        args = args_of(n)
        if not args:
            continue
        k = args[0]
        out.append(CookieSet(n, string_value(k), k, args[1] if len(args) > 1 else None,
                             args[2] if len(args) > 2 else None, chain_root(mc[0])))
    return out


# -- responses ------------------------------------------------------------------------------


@record
class ResponseVar:
    name: str
    scope: object  # the function (or program) the variable lives in
    decl: object  # the `new Twilio.Response()` expression
    calls: list = field(default_factory=list)  # (method name, call node, args)
    escapes: bool = False  # handed to something we cannot see into, or reassigned


CALLBACK_LIKE = {"callback", "cb", "done", "next"}


def response_vars(root, callback_names: set[str] | None = None) -> list[ResponseVar]:
    """Variables bound to ``new Twilio.Response()``, with the calls made on them and whether the
    response escapes (passed to a function other than the handler's callback, stored, returned,
    reassigned). Names are matched within the declaring function."""
    out: list[ResponseVar] = []
    js = tree_of(root)
    if js is not None and not js.mentions(b"Response"):
        return out
    for n in typed(root, "variable_declarator"):
        name = n.child_by_field_name("name")
        value = unwrap_parens(n.child_by_field_name("value"))
        if name is None or name.type != "identifier" or value is None:
            continue
        base = chain_root(value)
        if not is_twilio_response_new(base):
            continue
        scope = enclosing_function(n) or root
        rv = ResponseVar(node_text(name), scope, base)
        # calls chained on the initializer: `new Twilio.Response().setBody(...)`
        cur = value
        while True:
            mc = method_call(cur)
            if mc is None:
                break
            rv.calls.append((mc[1], cur, mc[2]))
            cur = unwrap_parens(mc[0])
        _collect_uses(rv, callback_names or set())
        out.append(rv)
    return out


def _uses_unshadowed(scope, name: str):
    """Identifiers and shorthand properties spelled ``name`` in ``scope``, in document order,
    except inside nested functions with a parameter called ``name`` (read from the node index)."""
    found = spelled(scope, name, ("identifier", "shorthand_property_identifier"))
    shadows: dict[int, bool] = {}
    for n in found:
        p = n.parent
        hidden = False
        while p is not None and p.id != scope.id:
            if p.type in FUNCTION_TYPES:
                h = shadows.get(p.id)
                if h is None:
                    names: set[str] = set()
                    for param in _params(p):
                        _pattern_names(param, names)
                    h = shadows[p.id] = name in names
                if h:
                    hidden = True
                    break
            p = p.parent
        if not hidden:
            yield n


def _collect_uses(rv: ResponseVar, callback_names: set[str]) -> None:
    name = rv.name
    for n in _uses_unshadowed(rv.scope, name):
        if n.type == "shorthand_property_identifier":
            rv.escapes = True  # `{ response }`
            continue
        parent = n.parent
        if parent is None:
            continue
        if parent.type == "variable_declarator":
            nm = parent.child_by_field_name("name")
            if nm is not None and nm.id == n.id:
                root = chain_root(parent.child_by_field_name("value"))
                if root is None or root.id != rv.decl.id:
                    rv.escapes = True  # another variable of the same name: do not guess
                continue
        if parent.type == "member_expression" and parent.child_by_field_name("object").id == n.id:
            # r.method(...) and the chain above it
            cur = parent.parent
            member = parent
            while cur is not None and cur.type == "call_expression" and cur.child_by_field_name("function").id == member.id:
                mc = method_call(cur)
                if mc is None:
                    break
                rv.calls.append((mc[1], cur, mc[2]))
                nxt = cur.parent
                if nxt is not None and nxt.type == "member_expression" and nxt.child_by_field_name("object").id == cur.id:
                    member = nxt
                    cur = nxt.parent
                else:
                    break
            continue
        if parent.type == "arguments":
            call = parent.parent
            fn = unwrap_parens(call.child_by_field_name("function")) if call is not None else None
            if fn is not None and fn.type == "identifier" and (node_text(fn) in callback_names or node_text(fn) in CALLBACK_LIKE):
                continue
            rv.escapes = True
            continue
        if parent.type == "assignment_expression" and parent.child_by_field_name("left").id == n.id:
            rv.escapes = True  # reassigned
            continue
        if parent.type in ("return_statement", "pair", "array", "assignment_expression", "shorthand_property_identifier",
                           "spread_element", "variable_declarator", "object", "arrow_function"):
            rv.escapes = True
            continue


# -- Runtime.getAssets() / Runtime.getFunctions() keys --------------------------------------


@record
class KeyUse:
    call: object  # the Runtime.getX() call
    key: str | None  # the static key, None when computed
    key_node: object  # string / property_identifier / pattern key
    access: object  # the subscript / member expression (or pair_pattern)
    via: str  # "subscript" | "member" | "pattern"
    entry_members: list = field(default_factory=list)  # member_expression nodes read on the entry


def _scope_of(node, root):
    n = node.parent
    while n is not None:
        if n.type in FUNCTION_TYPES or n.type == "program":
            return n
        n = n.parent
    return root


def _identifier_uses(scope, name: str, decl_name_node):
    for n in spelled(scope, name, ("identifier",)):
        if n.id != decl_name_node.id:
            yield n


def _entry_members(access, root) -> list:
    """Members read on an entry: `X[key].filePath`, or via `const a = X[key]; a.filePath`."""
    out = []
    parent = access.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is not None and parent.type == "member_expression" and unwrap_parens(parent.child_by_field_name("object")).id == access.id:
        out.append(parent)
    elif parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            for use in _identifier_uses(_scope_of(parent, root), node_text(name), name):
                up = use.parent
                if up is not None and up.type == "member_expression" and up.child_by_field_name("object").id == use.id:
                    out.append(up)
        elif name is not None and name.type == "object_pattern":
            for c in name.named_children:
                if c.type == "shorthand_property_identifier_pattern":
                    out.append(c)
                elif c.type == "pair_pattern":
                    out.append(c)
    return out


def _uses_on(obj_node, call, root, out: list) -> None:
    """Keys read on ``obj_node`` (the call itself or an identifier holding its result)."""
    parent = obj_node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        obj_node, parent = parent, parent.parent
    if parent is None:
        return
    if parent.type == "subscript_expression" and parent.child_by_field_name("object").id == obj_node.id:
        idx = parent.child_by_field_name("index")
        key = static_key(idx) if idx is not None and idx.type in ("string", "template_string") else None
        out.append(KeyUse(call, key, idx, parent, "subscript", _entry_members(parent, root)))
    elif parent.type == "member_expression" and parent.child_by_field_name("object").id == obj_node.id:
        if is_callee(parent):
            return  # .hasOwnProperty(...), .toString()
        prop = parent.child_by_field_name("property")
        out.append(KeyUse(call, static_key(prop), prop, parent, "member", _entry_members(parent, root)))


def runtime_key_uses(file, method: str) -> list[KeyUse]:
    """Static and computed keys read on ``Runtime.<method>()`` directly, through a variable that
    holds it (``const assets = Runtime.getAssets(); assets['/a.json']``) or by destructuring."""
    root = file.js.root
    out: list[KeyUse] = []
    for call in runtime_calls(file, method):
        parent = call.parent
        while parent is not None and parent.type == "parenthesized_expression":
            parent = parent.parent
        if parent is not None and parent.type == "variable_declarator" and \
                unwrap_parens(parent.child_by_field_name("value")).id == call.id:
            name = parent.child_by_field_name("name")
            if name is None:
                continue
            if name.type == "identifier":
                for use in _identifier_uses(_scope_of(parent, root), node_text(name), name):
                    _uses_on(use, call, root, out)
            elif name.type == "object_pattern":
                for c in name.named_children:
                    if c.type == "pair_pattern":
                        k = c.child_by_field_name("key")
                        out.append(KeyUse(call, static_key(k), k, c, "pattern"))
                    elif c.type == "shorthand_property_identifier_pattern":
                        out.append(KeyUse(call, node_text(c), c, c, "pattern"))
            continue
        _uses_on(call, call, root, out)
    return out
