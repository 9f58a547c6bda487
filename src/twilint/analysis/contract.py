"""The handler contract: how work and errors flow to `callback`.

On Twilio Functions `callback()` ends the invocation and stops pending work [002:214][002:601];
a handler that never reaches `callback` runs until the 10-second limit [002:599][002:7420].
This module analyses one handler once and yields findings for every handler rule
(callback-before-await, missing-catch, callback-not-called, code-after-callback,
await-in-sync-handler, event-spread-leaks-request). Rules pick their own findings.

The analysis is path-sensitive over statements (if/else, switch, loops, try/catch/finally,
return/throw/break) and deliberately conservative: anything it cannot understand counts as
"handled", because a false positive costs more than a missed bug.
"""

from __future__ import annotations

import bisect

from twilint.analysis.handler import FUNCTION_TYPES, Handler, twilio_handlers
from twilint.analysis.paths import handler_paths, static_key
from twilint.records import field, record
from twilint.sources.js import node_text, offsets, string_value, unwrap_parens

CHAIN_METHODS = {"then", "catch", "finally", "done"}
TWILIO_METHODS = {"create", "update", "fetch", "remove", "list", "page"}
PROMISE_STATICS = {"all", "allSettled", "race", "any", "resolve", "reject"}
HTTP_MODULES = {"axios", "got", "node-fetch", "undici", "superagent", "cross-fetch", "isomorphic-fetch", "ky", "needle"}
HTTP_GLOBALS = {"fetch"}
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "request", "options"}
NOT_CODE = {"empty_statement", "function_declaration", "generator_function_declaration", "class_declaration",
            "return_statement", "break_statement", "continue_statement", "comment", "throw_statement"}


@record
class Finding:
    rule: str
    start: int
    end: int
    message: str
    fix: object = None  # twilint.model.Fix


@record(frozen=True)
class Pending:
    name: str | None
    node: object
    desc: str


@record(frozen=True)
class St:
    done: bool = False  # callback called or handed off on every path merged here
    called: tuple = ()  # direct callback calls that did not return, that may have run
    pending: tuple = ()  # promises created on this path and not yet awaited/returned/used


def merge(a: St | None, b: St | None) -> St | None:
    if a is None:
        return b
    if b is None:
        return a
    called = a.called + tuple(c for c in b.called if all(c.id != x.id for x in a.called))
    pending = a.pending + tuple(p for p in b.pending if all(p.node.id != q.node.id for q in a.pending))
    return St(a.done and b.done, called, pending)


def line_of(node) -> int:
    return node.start_point[0] + 1


class HandlerContract:
    def __init__(self, file, handler: Handler):
        self.file = file
        self.js = file.js
        self.h = handler
        self.fn = handler.function
        self.findings: list[Finding] = []
        self.is_async = handler.is_async
        params = handler.params
        cb = params[2] if len(params) >= 3 else None
        self.has_callback = cb is not None and cb.type == "identifier"
        self.cb_name = node_text(cb) if self.has_callback else None
        # `event` and the callback themselves (a rest copy of `event` is another value)
        refs = handler_paths(file, handler).view(
            {}, {1: "event", 2: "callback"} if self.has_callback else {1: "event"},
            callables=frozenset({"callback"}), rest_kinds={"event": "event-rest"},
        ).refs
        self.cb_ref_nodes = [n for k, n in refs if k == "callback"]
        self.cb_ids = {n.id for n in self.cb_ref_nodes}
        self._cb_starts = sorted(n.start_byte for n in self.cb_ref_nodes)
        event_refs = [n for k, n in refs if k == "event"]
        self.event_ids = {n.id for n in event_refs}
        self._event_starts = sorted(n.start_byte for n in event_refs)
        self._names = _file_names(file)
        # functions declared inside the handler that use the callback: calling one hands it off
        self.cb_functions = self._callback_functions()
        # a `setTimeout(() => callback(...), ms)` watchdog answers even when a rejection is lost
        self.has_watchdog = self._has_watchdog()
        self._reported_after: set[int] = set()
        self._loops: list[list] = []

    # -- predicates ------------------------------------------------------------------------
    def refs_callback(self, node) -> bool:
        return node is not None and _starts_within(self._cb_starts, node)

    def is_callback_call(self, expr) -> bool:
        expr = unwrap_parens(expr)
        if expr is None or expr.type != "call_expression":
            return False
        fn = unwrap_parens(expr.child_by_field_name("function"))
        if fn is None:
            return False
        if fn.type == "identifier":
            return fn.id in self.cb_ids
        if fn.type == "member_expression" and static_key(fn.child_by_field_name("property")) in ("call", "apply"):
            obj = unwrap_parens(fn.child_by_field_name("object"))
            return obj is not None and obj.id in self.cb_ids
        return False

    def _callback_functions(self) -> set[str]:
        out: set[str] = set()
        if not self._cb_starts:
            return out  # such a function must reference the callback
        body = self.fn.child_by_field_name("body")
        if body is None:
            return out
        for n in self.js.nodes("function_declaration", body):
            if not self.refs_callback(n):
                continue
            name = n.child_by_field_name("name")
            if name is not None:
                out.add(node_text(name))
        for n in self.js.nodes("variable_declarator", body):
            if not self.refs_callback(n):
                continue  # the value is inside the declarator
            name = n.child_by_field_name("name")
            value = unwrap_parens(n.child_by_field_name("value"))
            if name is not None and value is not None and value.type in FUNCTION_TYPES and self.refs_callback(value):
                out.add(node_text(name))
        return out

    def _has_watchdog(self) -> bool:
        if not self._cb_starts:
            return False  # the watchdog must reference the callback
        body = self.fn.child_by_field_name("body")
        if body is None:
            return False
        for n in self.js.nodes("call_expression", body):
            if not self.refs_callback(n):
                continue  # its first argument must reference the callback
            fn = n.child_by_field_name("function")
            if fn is None or fn.type != "identifier" or node_text(fn) != "setTimeout":
                continue
            args = n.child_by_field_name("arguments")
            if args is not None and args.named_children:
                if _is_fn(args.named_children[0]) and self.refs_callback(args.named_children[0]):
                    return True
        return False

    def hands_off(self, node) -> bool:
        """Does ``node`` mention the callback, or call a handler-local function that uses it?"""
        if self.refs_callback(node):
            return True
        if not self.cb_functions:
            return False
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "call_expression":
                fn = unwrap_parens(n.child_by_field_name("function"))
                if fn is not None and fn.type == "identifier" and node_text(fn) in self.cb_functions:
                    return True
            stack.extend(n.named_children)
        return False

    def promise_desc(self, expr) -> str | None:
        """What kind of promise ``expr`` creates, or None when it is not known to be one."""
        expr = unwrap_parens(expr)
        if expr is None:
            return None
        t = expr.type
        if t == "unary_expression" and node_text(expr).startswith("void"):
            arg = expr.child_by_field_name("argument")
            return self.promise_desc(arg)
        if t == "new_expression":
            ctor = expr.child_by_field_name("constructor")
            if ctor is not None and node_text(ctor) == "Promise":
                return "`new Promise(...)`"
            return None
        if t != "call_expression":
            return None
        fn = unwrap_parens(expr.child_by_field_name("function"))
        if fn is None:
            return None
        if fn.type == "member_expression":
            prop = static_key(fn.child_by_field_name("property"))
            obj = unwrap_parens(fn.child_by_field_name("object"))
            if prop in CHAIN_METHODS and prop != "done":
                return f"`{_snippet(expr)}`"
            if prop == "done" and obj is not None and self.promise_desc(obj):
                return f"`{_snippet(expr)}`"
            if obj is not None and obj.type == "identifier" and node_text(obj) == "Promise" and prop in PROMISE_STATICS:
                return f"`{_snippet(expr)}`"
            if prop in TWILIO_METHODS and self._twilio_rooted(obj) and not _last_arg_is_function(expr):
                return f"the Twilio API call `{_snippet(expr)}`"
            if prop in HTTP_METHODS and obj is not None and obj.type == "identifier" and node_text(obj) in self._names.http:
                return f"the HTTP request `{_snippet(expr)}`"
            return None
        if fn.type == "identifier":
            name = node_text(fn)
            if name in self._names.http or (name in HTTP_GLOBALS and name not in self._names.shadowed_fetch):
                return f"the HTTP request `{_snippet(expr)}`"
            if name in self._names.async_functions:
                return f"the async call `{_snippet(expr)}`"
        return None

    def _twilio_rooted(self, node) -> bool:
        """Is this member chain rooted at a Twilio client (or Runtime.getSync())?"""
        depth = 0
        while node is not None and depth < 40:
            depth += 1
            node = unwrap_parens(node)
            t = node.type
            if t == "identifier":
                return node_text(node) in self._names.clients
            if t == "call_expression":
                fn = unwrap_parens(node.child_by_field_name("function"))
                if fn is not None and fn.type == "member_expression":
                    prop = static_key(fn.child_by_field_name("property"))
                    if prop == "getTwilioClient":
                        return True
                    if prop == "getSync" and node_text(fn.child_by_field_name("object")) == "Runtime":
                        return True
                node = fn
            elif t in ("member_expression", "subscript_expression"):
                node = node.child_by_field_name("object")
            else:
                return False
        return False

    # -- running -----------------------------------------------------------------------------
    def run(self) -> list[Finding]:
        body = self.fn.child_by_field_name("body")
        if body is None:
            return self.findings
        self._await_in_sync(body)
        self._chains_and_promises(body)
        self._event_spread(body)
        if not self.has_callback:
            if not self.refs_callback(body) and not _uses_arguments(body):
                self._report_not_called_no_param()
            return self.findings
        if body.type == "statement_block":
            end = self.block(body, St())
        else:
            end = self.expression(body, St(), is_return=True)
            end = None if end is not None and end.done else end
        if end is not None and not end.done:
            self._report_not_called(None)
        self._after_callback_in_nested(body)
        return self.findings

    # -- statements ------------------------------------------------------------------------
    def block(self, block, st: St | None, boundaries: list | None = None) -> St | None:
        for stmt in block.named_children:
            if st is None:
                return None
            if stmt.type == "comment":
                continue
            if st.called and stmt.type not in NOT_CODE:
                self._report_after(st.called, stmt)
            st = self.statement(stmt, st)
            if boundaries is not None and st is not None:
                boundaries.append(st)
        return st

    def statement(self, s, st: St) -> St | None:
        t = s.type
        if t == "expression_statement":
            e = s.named_children[0] if s.named_children else None
            return self.expression(e, st) if e is not None else st
        if t in ("lexical_declaration", "variable_declaration"):
            for d in s.named_children:
                if d.type == "variable_declarator":
                    st = self.declarator(d, st)
            return st
        if t == "return_statement":
            arg = s.named_children[0] if s.named_children and s.named_children[0].type != "comment" else None
            if arg is not None:
                st = self.expression(arg, st, is_return=True)
            if st is not None and not st.done:
                self._report_not_called(s)
            return None
        if t == "throw_statement":
            return None
        if t == "statement_block":
            return self.block(s, st)
        if t == "if_statement":
            cond = s.child_by_field_name("condition")
            if cond is not None:
                st = self.expression(cond, st, as_condition=True)
            a = self.statement(s.child_by_field_name("consequence"), st)
            alt = s.child_by_field_name("alternative")
            if alt is not None:
                inner = [c for c in alt.named_children if c.type != "comment"]
                b = self.statement(inner[0], st) if inner else st
            else:
                b = st
            return merge(a, b)
        if t == "else_clause":
            inner = [c for c in s.named_children if c.type != "comment"]
            return self.statement(inner[0], st) if inner else st
        if t == "try_statement":
            return self.try_statement(s, st)
        if t == "switch_statement":
            return self.switch(s, st)
        if t in ("for_statement", "for_in_statement", "while_statement", "do_statement"):
            return self.loop(s, st)
        if t in ("break_statement", "continue_statement"):
            if self._loops:
                self._loops[-1].append(st)
            return None
        if t == "labeled_statement":
            body = s.child_by_field_name("body")
            return self.statement(body, st) if body is not None else st
        if t in NOT_CODE or t in ("class_declaration", "import_statement", "export_statement"):
            return st
        # anything else: callback inside counts as handled
        if self.hands_off(s):
            return St(True, st.called, ())
        return st

    def declarator(self, d, st: St) -> St:
        value = d.child_by_field_name("value")
        if value is None:
            return st
        st = self._use_pending(value, st)
        if self.hands_off(value):
            return St(True, st.called, st.pending)
        desc = self.promise_desc(value)
        name = d.child_by_field_name("name")
        if desc is not None and name is not None and name.type == "identifier":
            return St(st.done, st.called, st.pending + (Pending(node_text(name), value, desc),))
        return st

    def expression(self, e, st: St, is_return: bool = False, as_condition: bool = False) -> St | None:
        e = unwrap_parens(e)
        if e is None:
            return st
        if e.type == "await_expression":
            inner = e.named_children[0] if e.named_children else None
            st = self._use_pending(e, st)
            if inner is not None and self.hands_off(inner):
                if self.is_callback_call(inner):
                    self._check_pending(inner, st)
                    return St(True, st.called if is_return else st.called + (inner,), ())
                return St(True, st.called, st.pending)
            return st
        if self.is_callback_call(e):
            self._check_pending(e, st)
            return St(True, st.called if is_return else st.called + (e,), ())
        st = self._use_pending(e, st)
        if self.hands_off(e):
            if st.pending and self.refs_callback(e):
                # the callback is handed to a chain or a helper while other work is still pending:
                # when it runs, that work is stopped too
                self._check_pending(self._first_callback_ref(e), st, later=True)
                st = St(st.done, st.called, ())
            if e.type in ("ternary_expression", "binary_expression") and not is_return:
                # `err ? callback(err) : callback(null, x)` / `ok && callback(null)`: handled
                return St(True, st.called, ())
            return St(True, st.called, st.pending)
        if is_return or as_condition:
            return st
        desc = self.promise_desc(e)
        if desc is not None:
            return St(st.done, st.called, st.pending + (Pending(None, e, desc),))
        return st

    def _use_pending(self, node, st: St) -> St:
        """A pending promise that is referenced again (awaited, returned, passed on) is handled."""
        named = [p for p in st.pending if p.name]
        if not named:
            return st
        text = node.text
        keep = []
        for p in st.pending:
            if p.name and _mentions(node, p.name, text):
                continue
            keep.append(p)
        return St(st.done, st.called, tuple(keep)) if len(keep) != len(st.pending) else st

    def try_statement(self, s, st: St) -> St | None:
        body = s.child_by_field_name("body")
        handler = s.child_by_field_name("handler")
        finalizer = s.child_by_field_name("finalizer")
        bounds: list = [st]
        t_out = self.block(body, st, bounds) if body is not None else st
        out = t_out
        if handler is not None:
            c_in = None
            for b in bounds:
                c_in = merge(c_in, b)
            # a promise the try block awaits or uses counts as handled in the catch (an exception
            # before that use is too unlikely to report)
            if c_in is not None and body is not None:
                c_in = self._use_pending(body, c_in)
                # an exception after a callback call in the try is too unlikely to report as
                # "code after callback" in the catch
                c_in = St(c_in.done, (), c_in.pending)
            cbody = handler.child_by_field_name("body")
            c_out = self.block(cbody, c_in) if cbody is not None else c_in
            out = merge(t_out, c_out)
        if finalizer is not None:
            fbody = finalizer.child_by_field_name("body") or (finalizer.named_children[-1] if finalizer.named_children else None)
            if fbody is not None:
                f_in = out if out is not None else merge(st, t_out)
                f_out = self.block(fbody, St(f_in.done, (), f_in.pending) if f_in is not None else St())
                if out is None:
                    return None
                if f_out is None:
                    return None
                return St(out.done or f_out.done, out.called, f_out.pending)
        return out

    def switch(self, s, st: St) -> St | None:
        value = s.child_by_field_name("value")
        if value is not None:
            st = self.expression(value, st, as_condition=True)
        body = s.child_by_field_name("body")
        self._loops.append([])
        out = None
        fall = None
        has_default = False
        if body is not None:
            for case in body.named_children:
                if case.type not in ("switch_case", "switch_default"):
                    continue
                has_default |= case.type == "switch_default"
                cur = merge(st, fall)
                for stmt in case.children_by_field_name("body"):
                    if stmt.type == "comment":
                        continue
                    if cur is None:
                        break
                    if cur.called and stmt.type not in NOT_CODE:
                        self._report_after(cur.called, stmt)
                    cur = self.statement(stmt, cur)
                fall = cur
        breaks = self._loops.pop()
        for b in breaks:
            out = merge(out, b)
        out = merge(out, fall)
        if not has_default:
            out = merge(out, st)
        return out

    def loop(self, s, st: St) -> St | None:
        t = s.type
        infinite = False
        if t == "while_statement":
            cond = s.child_by_field_name("condition")
            infinite = cond is not None and node_text(cond).strip("() ") == "true"
        elif t == "for_statement":
            cond = s.child_by_field_name("condition")
            infinite = cond is None or node_text(cond).strip("; ") in ("", "true")
        head_parts = [c for c in (s.child_by_field_name("right"), s.child_by_field_name("initializer")) if c is not None]
        for part in head_parts:
            st = self._use_pending(part, st)
        self._loops.append([])
        body = s.child_by_field_name("body")
        b_out = self.statement(body, St(st.done, st.called, st.pending)) if body is not None else st
        breaks = self._loops.pop()
        out = None
        for b in breaks:
            out = merge(out, b)
        if t == "do_statement":
            return merge(out, b_out)
        if infinite:
            return out
        return merge(out, merge(b_out, st))

    # -- reports ---------------------------------------------------------------------------
    def _check_pending(self, call, st: St, later: bool = False) -> None:
        if not st.pending or call is None:
            return
        p = st.pending[0]
        more = f" (and {len(st.pending) - 1} more)" if len(st.pending) > 1 else ""
        what = f"`{p.name}` ({p.desc})" if p.name else p.desc
        if not later:
            msg = (f"callback() ends the invocation while {what} from line {line_of(p.node)}{more} is still "
                   "pending: the platform stops it, so it may never run or finish; await it (or call "
                   "callback in its .then) first")
        else:
            msg = (f"this callback() can run while {what} from line {line_of(p.node)}{more} is still "
                   "pending, and then the platform stops it; wait for both (for example with Promise.all) "
                   "before calling callback")
        self.findings.append(Finding("callback-before-await", call.start_byte, call.end_byte, msg))

    def _first_callback_ref(self, node):
        best = None
        for n in self.cb_ref_nodes:
            if node.start_byte <= n.start_byte < node.end_byte and (best is None or n.start_byte < best.start_byte):
                best = n
        if best is not None and best.parent is not None and best.parent.type == "call_expression":
            return best.parent
        return best

    def _report_after(self, calls: tuple, stmt) -> None:
        new = [c for c in calls if c.id not in self._reported_after]
        if not new:
            return
        for c in new:
            self._reported_after.add(c.id)
        call = new[0]
        again = self._contains_direct_call(stmt)
        what = "callback is called again" if again else "this code still runs"
        self.findings.append(Finding(
            "code-after-callback", stmt.start_byte, stmt.end_byte,
            f"callback() on line {line_of(call)} does not return, so {what} after the platform has "
            "ended the invocation; use `return callback(...)`",
            self._return_fix(call),
        ))

    def _contains_direct_call(self, node) -> bool:
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type in FUNCTION_TYPES:
                continue
            if self.is_callback_call(n):
                return True
            stack.extend(n.named_children)
        return False

    def _return_fix(self, call):
        from twilint.model import SAFE, UNSAFE, Edit, Fix

        stmt = call.parent
        while stmt is not None and stmt.type in ("parenthesized_expression", "await_expression"):
            stmt = stmt.parent
        if stmt is None or stmt.type != "expression_statement":
            return None
        block = stmt.parent
        siblings = [c for c in block.named_children if c.type != "comment"] if block is not None else []
        last = bool(siblings) and siblings[-1].id == stmt.id
        in_loop = False
        p = block
        while p is not None and p.id != self.fn.id and p.type not in FUNCTION_TYPES:
            if p.type in ("for_statement", "for_in_statement", "while_statement", "do_statement", "switch_case", "switch_default"):
                in_loop = True
                break
            p = p.parent
        edit = Edit.replace(stmt.start_byte, stmt.start_byte, "return ")
        if last and not in_loop:
            return Fix([edit], "Return the callback call", SAFE)
        reason = ("the statements after it in the same block would no longer run" if not last
                  else "`return` inside a loop or switch also ends the loop and the handler")
        return Fix([edit], "Return the callback call", UNSAFE, reason)

    def _report_not_called(self, ret) -> None:
        if ret is not None:
            start, end = ret.start_byte, ret.end_byte
            msg = ("this `return` ends the handler without calling callback: the invocation runs until "
                   "the 10-second limit (a timeout error); locally the request never gets a response")
        else:
            start, end = self._head_span()
            msg = ("a path through the handler ends without calling callback: the invocation runs until "
                   "the 10-second limit (a timeout error); locally the request never gets a response")
        self.findings.append(Finding("callback-not-called", start, end, msg))

    def _report_not_called_no_param(self) -> None:
        start, end = self._head_span()
        self.findings.append(Finding(
            "callback-not-called", start, end,
            "the handler never calls callback (it does not even declare it as its third parameter): "
            "every invocation runs until the 10-second limit; returning a value does not end it",
        ))

    def _head_span(self) -> tuple[int, int]:
        fn = self.fn
        params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        end = params.end_byte if params is not None else fn.start_byte + 1
        return fn.start_byte, end

    # -- code after callback in nested functions (then-handlers, node-style callbacks) ---------
    def _after_callback_in_nested(self, body) -> None:
        cb_starts = self._cb_starts
        if not cb_starts:
            return  # no callback reference, so no callback call
        for t in FUNCTION_TYPES:
            for fn in self.js.nodes(t, body):
                if not _starts_within(cb_starts, fn):
                    continue
                b = fn.child_by_field_name("body")
                if b is not None and b.type == "statement_block":
                    self._scan_block_after(b)

    def _scan_block_after(self, block) -> None:
        stmts = [c for c in block.named_children if c.type != "comment"]
        for i, s in enumerate(stmts):
            call = self._statement_callback_call(s)
            if call is not None:
                nxt = next((x for x in stmts[i + 1:] if x.type not in NOT_CODE), None)
                if nxt is not None:
                    self._report_after((call,), nxt)
            if s.type == "statement_block":
                self._scan_block_after(s)

    def _statement_callback_call(self, s):
        """The callback call of a `callback(...);` / `await callback(...);` statement, else None."""
        if s.type != "expression_statement" or not s.named_children:
            return None
        e = unwrap_parens(s.named_children[0])
        if e is not None and e.type == "await_expression" and e.named_children:
            e = unwrap_parens(e.named_children[0])
        return e if self.is_callback_call(e) else None

    # -- await in a sync handler -----------------------------------------------------------
    def _await_in_sync(self, body) -> None:
        if self.is_async:
            return
        candidates = [n for n in self.js.nodes("await_expression", body) if self._own(n)]
        candidates += [n for n in self.js.nodes("for_in_statement", body)
                       if self._own(n) and any(c.type == "await" for c in n.children)]
        first = min(candidates, key=lambda n: n.start_byte) if candidates else None
        if first is None:
            return
        from twilint.model import SAFE, Edit, Fix

        fn = self.fn
        fix = None
        if not any(c.type == "*" for c in fn.children[:3]) or fn.type != "method_definition":
            fix = Fix([Edit.replace(fn.start_byte, fn.start_byte, "async ")], "Make the handler async", SAFE)
        self.findings.append(Finding(
            "await-in-sync-handler", first.start_byte, first.end_byte,
            "`await` in a handler that is not async: Node rejects the file with a SyntaxError, so the "
            "function fails on every request; declare the handler `async`",
            fix,
        ))

    # -- missing-catch ---------------------------------------------------------------------
    def _chains_and_promises(self, body) -> None:
        js = self.js
        # a chain is checked only when one of its arguments names the callback (_check_chain)
        cb_starts = self._cb_starts
        if cb_starts:
            for n in js.nodes("expression_statement", body):
                if not _starts_within(cb_starts, n):
                    continue
                e = unwrap_parens(n.named_children[0]) if n.named_children else None
                if e is not None and e.type == "call_expression":
                    self._check_chain(e)
        if not self.is_async and cb_starts:
            for n in js.nodes("return_statement", body):
                if not _starts_within(cb_starts, n):
                    continue
                e = unwrap_parens(n.named_children[0]) if n.named_children else None
                if e is not None and e.type == "call_expression" and self._own(n):
                    self._check_chain(e)
        for n in js.nodes("new_expression", body):
            self._check_new_promise(n)
        for n in js.nodes("try_statement", body):
            self._check_try_return(n)
        if not (self.is_async and not self.h.wrapped):
            return
        if not (self.has_callback and self.cb_ids and not self.has_watchdog):
            return  # nothing to report (the awaits' analysis below has no side effects)
        unprotected = [
            n for n in js.nodes("await_expression", body)
            if self._own(n) and not self._in_try(n) and not self._cannot_reject(n)
            and self._can_reject(n.named_children[0] if n.named_children else None, 0)
        ]
        if unprotected:
            first = unprotected[0]
            more = f" ({len(unprotected)} awaits are outside try/catch)" if len(unprotected) > 1 else ""
            self.findings.append(Finding(
                "missing-catch", first.start_byte, first.end_byte,
                f"this `await` is outside any try/catch{more}: if it rejects, callback is never called; "
                "in production the invocation then runs until the 10-second limit (a timeout) instead of "
                "failing with the error; the local dev server answers 500, so local runs hide it",
            ))

    def _own(self, node) -> bool:
        """Does ``node`` belong to the handler itself (not to a function nested in it)?"""
        return _enclosing_function(node).id == self.fn.id

    def _in_try(self, node) -> bool:
        """Is ``node`` inside the body of a try that has a catch (within the handler)?"""
        child = node
        p = node.parent
        while p is not None and p.id != self.fn.id:
            if p.type == "try_statement" and p.child_by_field_name("handler") is not None:
                b = p.child_by_field_name("body")
                if b is not None and b.id == child.id:
                    return True
            child = p
            p = p.parent
        return False

    def _can_reject(self, expr, depth: int) -> bool:
        """Is ``expr`` known to be a promise that can reject? Unknown calls are not (precision)."""
        expr = unwrap_parens(expr)
        if expr is None or depth > 3:
            return False
        desc = self.promise_desc(expr)
        if desc is None:
            return False
        if "Twilio API" in desc or "HTTP request" in desc or desc.startswith("`Promise.reject("):
            return True
        fn = unwrap_parens(expr.child_by_field_name("function")) if expr.type == "call_expression" else None
        if desc.startswith("the async call") and fn is not None:
            decl = self._names.async_decls.get(node_text(fn))
            return decl is not None and self._function_can_reject(decl, depth + 1)
        if fn is not None and fn.type == "member_expression":
            prop = static_key(fn.child_by_field_name("property"))
            obj = fn.child_by_field_name("object")
            if prop in ("then", "finally", "done"):
                return not (prop == "then" and _then_has_rejection_handler(expr)) and self._can_reject(obj, depth + 1)
            if prop in ("all", "race", "any"):
                args = expr.child_by_field_name("arguments")
                return args is not None and self._contains_rejecting_call(args, depth + 1)
        return False

    def _contains_rejecting_call(self, node, depth: int) -> bool:
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "call_expression" and self._can_reject(n, depth):
                return True
            stack.extend(n.named_children)
        return False

    def _function_can_reject(self, decl, depth: int) -> bool:
        """Does an async function of this file have a rejecting await or a throw outside try/catch?"""
        body = decl.child_by_field_name("body")
        if body is None:
            return False
        stack = [body]
        while stack:
            n = stack.pop()
            if n.type in FUNCTION_TYPES:
                continue
            if n.type == "try_statement" and n.child_by_field_name("handler") is not None:
                fin = n.child_by_field_name("finalizer")
                if fin is not None:
                    stack.append(fin)
                handler = n.child_by_field_name("handler")
                if handler is not None:
                    stack.append(handler)  # a catch block can throw again
                continue
            if n.type == "throw_statement":
                return True
            if n.type == "await_expression" and n.named_children and not self._cannot_reject(n):
                if self._can_reject(n.named_children[0], depth):
                    return True
            if n.type == "return_statement" and n.named_children and self._can_reject(n.named_children[0], depth):
                return True
            stack.extend(n.named_children)
        return False

    def _cannot_reject(self, await_node) -> bool:
        inner = unwrap_parens(await_node.named_children[0]) if await_node.named_children else None
        if inner is None:
            return True
        if inner.type == "call_expression":
            fn = unwrap_parens(inner.child_by_field_name("function"))
            if fn is not None and fn.type == "member_expression":
                prop = static_key(fn.child_by_field_name("property"))
                obj = fn.child_by_field_name("object")
                if prop == "catch" or (prop == "then" and _then_has_rejection_handler(inner)):
                    return True
                if prop == "allSettled" and obj is not None and node_text(obj) == "Promise":
                    return True
        if inner.type == "new_expression":
            ctor = inner.child_by_field_name("constructor")
            args = inner.child_by_field_name("arguments")
            if ctor is not None and node_text(ctor) == "Promise" and args is not None and args.named_children:
                ex = unwrap_parens(args.named_children[0])
                if ex is not None and ex.type in FUNCTION_TYPES:
                    from twilint.analysis.handler import _params

                    ps = _params(ex)
                    if len(ps) < 2:
                        return True  # `new Promise((resolve) => setTimeout(resolve, 100))`
        if inner.type in ("identifier", "member_expression", "array", "number", "string", "object"):
            return inner.type != "identifier" and inner.type != "member_expression"
        return False

    def _check_chain(self, call) -> None:
        links = _chain_links(call)  # innermost link first
        if not links:
            return
        if not any(self.refs_callback(a) for _, argv, _ in links for a in argv if _is_fn(a)):
            return  # not a callback chain
        # simulate a rejection of the base promise through the chain
        rejected, reached = True, False
        catch_that_logs = None
        for prop, argv, link in links:
            if prop == "then":
                if rejected and len(argv) >= 2:
                    reached |= self.refs_callback(argv[1]) or not _is_fn(argv[1])
                    rejected = _rethrows(argv[1])
                elif not rejected and argv:
                    reached |= self.refs_callback(argv[0]) or not _is_fn(argv[0])
            elif prop == "catch":
                if rejected and argv:
                    calls = self.refs_callback(argv[0]) or not _is_fn(argv[0])
                    reached |= calls
                    if not calls:
                        catch_that_logs = link
                    rejected = _rethrows(argv[0])
            elif prop in ("finally",) and argv:
                reached |= self.refs_callback(argv[0]) or not _is_fn(argv[0])
        if reached or self.has_watchdog:
            return
        if catch_that_logs is not None:
            prop = catch_that_logs.child_by_field_name("function").child_by_field_name("property")
            self.findings.append(Finding(
                "missing-catch", prop.start_byte, catch_that_logs.end_byte,
                "this .catch() handles the error without calling callback: on a rejection the "
                "invocation runs until the 10-second limit in production (and locally never answers); "
                "call callback(err) in it",
            ))
            return
        self.findings.append(Finding(
            "missing-catch", call.start_byte, call.end_byte,
            "callback is only called when this chain succeeds: a rejection never reaches callback; "
            "in production the invocation then runs until the 10-second limit (a timeout) instead of failing with the error; the local dev server answers 500, so local runs hide it; add .catch((err) => callback(err))",
            self._catch_fix(call),
        ))

    def _catch_fix(self, call):
        from twilint.model import UNSAFE, Edit, Fix

        name = None
        for n in self.cb_ref_nodes:
            if call.start_byte <= n.start_byte < call.end_byte and n.type == "identifier":
                name = node_text(n)
                break
        if name is None:
            return None
        return Fix(
            [Edit.replace(call.end_byte, call.end_byte, f".catch((err) => {name}(err))")],
            "Append .catch((err) => callback(err))", UNSAFE,
            "on an error the function now ends with that error (a 500) instead of timing out; "
            "check that is what the callers of this Function should get",
        )

    def _check_try_return(self, try_node) -> None:
        handler = try_node.child_by_field_name("handler")
        body = try_node.child_by_field_name("body")
        if handler is None or body is None or not self.refs_callback(handler):
            return
        # the returns of this try block (not of a function or a try inside it), last first
        for n in reversed(self.js.nodes("return_statement", body)):
            if not n.named_children or _inside_any(n, body, _TRY_RETURN_BARRIERS):
                continue
            arg = unwrap_parens(n.named_children[0])
            if arg is not None and arg.type != "await_expression":
                desc = self.promise_desc(arg)
                if desc is not None:
                    self.findings.append(Finding(
                        "missing-catch", arg.start_byte, arg.end_byte,
                        f"{desc} is returned without `await` inside try: if it rejects, the catch "
                        f"on line {line_of(handler)} never runs and callback is never called",
                        self._await_fix(arg),
                    ))

    def _await_fix(self, arg):
        if not self.is_async or _enclosing_function(arg).id != self.fn.id:
            return None
        from twilint.model import UNSAFE, Edit, Fix

        return Fix([Edit.replace(arg.start_byte, arg.start_byte, "await ")], "Await it inside the try", UNSAFE,
                   "the catch block now runs when it rejects")

    def _check_new_promise(self, new) -> None:
        ctor = new.child_by_field_name("constructor")
        args = new.child_by_field_name("arguments")
        if ctor is None or node_text(ctor) != "Promise" or args is None or not args.named_children:
            return
        ex = unwrap_parens(args.named_children[0])
        if ex is None or ex.type not in FUNCTION_TYPES:
            return
        from twilint.analysis.handler import _params

        ps = _params(ex)
        if not ps or ps[0].type != "identifier":
            return
        resolve = node_text(ps[0])
        reject = node_text(ps[1]) if len(ps) > 1 and ps[1].type == "identifier" else None
        body = ex.child_by_field_name("body")
        if body is None:
            return
        stack = [body]
        while stack:
            n = stack.pop()
            if n.type in FUNCTION_TYPES and n.id != ex.id and n.parent is not None and n.parent.type != "arguments":
                continue
            if n.type == "expression_statement" and n.named_children:
                e = unwrap_parens(n.named_children[0])
                chain = _chain_links(e) if e is not None else []
                if chain and any(_mentions(a, resolve, a.text) for _, argv, _ in chain for a in argv):
                    handled = any(
                        (prop == "catch" and argv) or (prop == "then" and len(argv) >= 2)
                        for prop, argv, _ in chain
                    )
                    if not handled:
                        self.findings.append(Finding(
                            "missing-catch", e.start_byte, e.end_byte,
                            "this chain resolves the `new Promise` but never rejects it: an error leaves "
                            f"the promise pending forever; add .catch({reject or 'reject'})",
                        ))
                        return
            stack.extend(n.named_children)

    # -- event spread --------------------------------------------------------------------------
    def _event_spread(self, body) -> None:
        copies: dict[str, object] = {}
        cleaned: set[str] = set()
        js = self.js
        if not self.event_ids:
            return  # the handler never touches `event`
        event_starts = self._event_starts
        for d in js.nodes("variable_declarator", body):
            if not _starts_within(event_starts, d):
                continue  # both forms below need a reference to `event` inside the value
            name = d.child_by_field_name("name")
            value = d.child_by_field_name("value")
            if name is None or value is None:
                continue
            if not _starts_within(event_starts, value):
                continue
            if name.type == "identifier" and self._is_event_copy(value):
                copies[node_text(name)] = value
            elif name.type == "object_pattern" and unwrap_parens(value) is not None and unwrap_parens(value).id in self.event_ids:
                keys = set()
                rest = None
                for c in name.named_children:
                    if c.type == "pair_pattern":
                        keys.add(static_key(c.child_by_field_name("key")))
                    elif c.type in ("shorthand_property_identifier_pattern",):
                        keys.add(node_text(c))
                    elif c.type == "object_assignment_pattern":
                        left = c.child_by_field_name("left")
                        keys.add(node_text(left) if left is not None else None)
                    elif c.type == "rest_pattern" and c.named_children and c.named_children[0].type == "identifier":
                        rest = c.named_children[0]
                if rest is not None and "request" not in keys:
                    copies[node_text(rest)] = rest
        # names cleaned of `request` matter only for the copies
        for n in (js.nodes("unary_expression", body) if copies else ()):
            if not node_text(n).startswith("delete"):
                continue
            arg = n.child_by_field_name("argument")
            if arg is not None and arg.type in ("member_expression", "subscript_expression"):
                key = static_key(arg.child_by_field_name("property") or arg.child_by_field_name("index"))
                obj = arg.child_by_field_name("object")
                if key == "request" and obj is not None and obj.type == "identifier":
                    cleaned.add(node_text(obj))
        for n in (js.nodes("assignment_expression", body) if copies else ()):
            left = n.child_by_field_name("left")
            if left is not None and left.type == "member_expression" and static_key(left.child_by_field_name("property")) == "request":
                obj = left.child_by_field_name("object")
                if obj is not None and obj.type == "identifier":
                    cleaned.add(node_text(obj))
        leaky = {k: v for k, v in copies.items() if k not in cleaned}
        # sinks: arguments of Twilio API and HTTP calls
        reported = 0
        for n in js.nodes("call_expression", body):
            if reported >= 5:
                break
            if not leaky and not _starts_within(event_starts, n):
                continue  # (the arguments are inside the call)
            args = n.child_by_field_name("arguments")
            if args is None or not args.named_children:
                continue
            if not leaky and not _starts_within(event_starts, args):
                continue  # no argument can be `event` or a copy of it (see _leak_in)
            desc = self.promise_desc(n)
            if desc and ("Twilio API" in desc or "HTTP request" in desc):
                hit = self._leak_in(args, leaky)
                if hit is not None:
                    what = "`event` holds" if hit.type == "identifier" and hit.id in self.event_ids else "this copy of `event` still holds"
                    self.findings.append(Finding(
                        "event-spread-leaks-request", hit.start_byte, hit.end_byte,
                        f"{what} `event.request` (the incoming headers and cookies), which {desc} "
                        "sends on; take it out first: `const { request, ...rest } = event`",
                    ))
                    reported += 1

    def _is_event_copy(self, value) -> bool:
        value = unwrap_parens(value)
        if value is None:
            return False
        if value.type == "object":
            return any(c.type == "spread_element" and c.named_children and unwrap_parens(c.named_children[0]).id in self.event_ids
                       for c in value.named_children)
        if value.type == "call_expression":
            fn = value.child_by_field_name("function")
            args = value.child_by_field_name("arguments")
            if fn is not None and node_text(fn) == "Object.assign" and args is not None:
                return any(unwrap_parens(a).id in self.event_ids for a in args.named_children[1:])
        return False

    def _leak_in(self, args, leaky: dict):
        stack = list(args.named_children)
        while stack:
            n = stack.pop()
            if n.type in FUNCTION_TYPES:
                continue
            if n.type == "spread_element" and n.named_children and unwrap_parens(n.named_children[0]).id in self.event_ids:
                return n
            if n.type == "identifier" and n.id in self.event_ids and n.parent is not None and n.parent.type in ("arguments", "pair", "array", "spread_element"):
                return n
            if n.type in ("identifier", "shorthand_property_identifier") and node_text(n) in leaky:
                return n
            if n.type == "call_expression" and self._is_event_copy(n):
                return n
            stack.extend(n.named_children)
        return None


# -- helpers ----------------------------------------------------------------------------------


@record
class _Names:
    clients: set = field(default_factory=set)
    http: set = field(default_factory=set)
    async_functions: set = field(default_factory=set)
    async_decls: dict = field(default_factory=dict)
    shadowed_fetch: set = field(default_factory=set)


def _file_names(file) -> _Names:
    cache = file.__dict__.setdefault("_contract_names", {})
    if "n" in cache:
        return cache["n"]
    from twilint import model

    names = _Names()
    twilio_factories = set()
    js = file.js
    # Byte pre-filters over the raw source (exact: each helper below compares raw node text, so
    # a node can only match where its bytes hold the word): `require` for _required_module,
    # `Promise` for _returns_new_promise, `Twilio` (also in getTwilioClient) for _is_client_expr,
    # `async` for an `async` keyword child.
    if model.PREFILTERS:
        data = js.data
        requires = offsets(data, b"require")
        promises = offsets(data, b"Promise")
        twilios = offsets(data, b"Twilio")
        asyncs = offsets(data, b"async")
        # any of them, or `fetch` (the one name compared below): a declaration holding none of
        # these words can only matter through the names of clients and factories found so far
        words = sorted(requires + promises + twilios + asyncs + offsets(data, b"fetch"))
    else:
        requires = promises = twilios = asyncs = words = None
    # the declarations of the whole file in document order (what names a client or a factory
    # depends on what was declared before it), from the per-file node index
    decls = js.nodes_of(("function_declaration", "generator_function_declaration", "variable_declarator"))
    for n in decls:
        if words is not None and not twilio_factories and not names.clients and not _starts_within(words, n):
            continue
        t = n.type
        if t in ("function_declaration", "generator_function_declaration"):
            name = n.child_by_field_name("name")
            if name is not None and (((asyncs is None or _starts_within(asyncs, n))
                                      and any(c.type == "async" for c in n.children)) or (
                    (promises is None or _starts_within(promises, n)) and _returns_new_promise(n))):
                names.async_functions.add(node_text(name))
                names.async_decls.setdefault(node_text(name), n)
        elif t == "variable_declarator":
            name = n.child_by_field_name("name")
            value = unwrap_parens(n.child_by_field_name("value"))
            if name is not None and value is not None and name.type == "identifier":
                nm = node_text(name)
                if value.type in ("arrow_function", "function_expression", "function") and (
                        ((asyncs is None or _starts_within(asyncs, value))
                         and any(c.type == "async" for c in value.children)) or (
                        (promises is None or _starts_within(promises, value)) and _returns_new_promise(value))):
                    names.async_functions.add(nm)
                    names.async_decls.setdefault(nm, value)
                has_require = requires is None or _starts_within(requires, value)
                mod = _required_module(value) if has_require else None
                if mod is not None:
                    if mod in HTTP_MODULES:
                        names.http.add(nm)
                    elif mod == "twilio":
                        twilio_factories.add(nm)
                if nm == "fetch" and (mod is None or mod not in HTTP_MODULES):
                    names.shadowed_fetch.add(nm)
                if (has_require or twilio_factories or names.clients or _starts_within(twilios, value)) \
                        and _is_client_expr(value, twilio_factories, names.clients):
                    names.clients.add(nm)
    cache["n"] = names
    return names


def _returns_new_promise(fn) -> bool:
    """A plain function whose result is `new Promise(...)` (expression body or a top-level return)."""
    body = fn.child_by_field_name("body")
    if body is None:
        return False
    candidates = [body] if body.type != "statement_block" else [
        s.named_children[0] for s in body.named_children if s.type == "return_statement" and s.named_children
    ]
    for c in candidates:
        c = unwrap_parens(c)
        if c is not None and c.type == "new_expression":
            ctor = c.child_by_field_name("constructor")
            if ctor is not None and node_text(ctor) == "Promise":
                return True
    return False


def _required_module(value) -> str | None:
    """`require('x')`, `require('x').default`, `require('x')(...)`: the module name."""
    node = value
    for _ in range(3):
        node = unwrap_parens(node)
        if node is None:
            return None
        if node.type == "call_expression":
            fn = unwrap_parens(node.child_by_field_name("function"))
            if fn is not None and fn.type == "identifier" and node_text(fn) == "require":
                args = node.child_by_field_name("arguments")
                if args is not None and args.named_children:
                    return string_value(args.named_children[0])
                return None
            node = fn
        elif node.type == "member_expression":
            node = node.child_by_field_name("object")
        elif node.type == "await_expression" and node.named_children:
            node = node.named_children[0]
        else:
            return None
    return None


def _is_client_expr(value, factories: set, clients: set) -> bool:
    v = unwrap_parens(value)
    if v is None:
        return False
    if v.type == "await_expression" and v.named_children:
        v = unwrap_parens(v.named_children[0])
    if v is None:
        return False
    if v.type == "identifier":
        return node_text(v) in clients
    if v.type == "call_expression":
        fn = unwrap_parens(v.child_by_field_name("function"))
        if fn is None:
            return False
        if fn.type == "member_expression" and static_key(fn.child_by_field_name("property")) == "getTwilioClient":
            return True
        if fn.type == "identifier" and node_text(fn) in factories:
            return True
        if fn.type == "call_expression" and _required_module(fn) == "twilio":
            return True
    if v.type == "new_expression":
        ctor = v.child_by_field_name("constructor")
        if ctor is not None and (node_text(ctor) in factories or node_text(ctor).endswith("Twilio")):
            return True
    return False


def _starts_within(starts: list[int], node) -> bool:
    """Does one of the sorted offsets ``starts`` (of reference nodes) fall inside ``node``?"""
    i = bisect.bisect_left(starts, node.start_byte)
    return i < len(starts) and starts[i] < node.end_byte


def _mentions(node, name: str, text: bytes) -> bool:
    if name.encode() not in text:
        return False
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "shorthand_property_identifier") and node_text(n) == name:
            return True
        stack.extend(n.named_children)
    return False


_TRY_RETURN_BARRIERS = frozenset(FUNCTION_TYPES | {"try_statement"})


def _inside_any(node, top, types) -> bool:
    """Is ``node`` inside a node of one of ``types`` that is itself inside ``top``?"""
    p = node.parent
    while p is not None and p.id != top.id:
        if p.type in types:
            return True
        p = p.parent
    return False


def _is_fn(node) -> bool:
    node = unwrap_parens(node)
    return node is not None and node.type in FUNCTION_TYPES


def _rethrows(fn) -> bool:
    fn = unwrap_parens(fn)
    if fn is None or fn.type not in FUNCTION_TYPES:
        return False
    body = fn.child_by_field_name("body")
    if body is None:
        return False
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type in FUNCTION_TYPES:
            continue
        if n.type == "throw_statement":
            return True
        if n.type == "call_expression":
            f = n.child_by_field_name("function")
            if f is not None and node_text(f) == "Promise.reject":
                return True
        stack.extend(n.named_children)
    return False


def _then_has_rejection_handler(call) -> bool:
    args = call.child_by_field_name("arguments")
    return args is not None and len([a for a in args.named_children if a.type != "comment"]) >= 2


def _chain_links(e):
    links = []
    node = e
    while node is not None and node.type == "call_expression":
        fn = unwrap_parens(node.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression":
            break
        prop = static_key(fn.child_by_field_name("property"))
        if prop not in CHAIN_METHODS:
            break
        args = node.child_by_field_name("arguments")
        argv = [a for a in args.named_children if a.type != "comment"] if args is not None else []
        links.append((prop, argv, node))
        node = unwrap_parens(fn.child_by_field_name("object"))
    links.reverse()
    return links


def _last_arg_is_function(call) -> bool:
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    argv = [a for a in args.named_children if a.type != "comment"]
    return bool(argv) and _is_fn(argv[-1])


def _enclosing_function(node):
    p = node.parent
    while p is not None and p.type not in FUNCTION_TYPES:
        p = p.parent
    return p if p is not None else node


def _uses_arguments(body) -> bool:
    return b"arguments" in body.text


def _snippet(node, limit: int = 60) -> str:
    text = node_text(node).replace("\n", " ")
    text = " ".join(text.split())
    if len(text) > limit:
        fn = node.child_by_field_name("function")
        head = " ".join(node_text(fn).split()) if fn is not None else text
        text = (head[: limit - 6] + "(...)") if len(head) < limit else head[: limit - 3] + "..."
    return text


def contract_findings(file) -> list[Finding]:
    """Every handler-contract finding of a file, computed once and shared by the rules."""
    cache = file.__dict__.setdefault("_contract", {})
    if "f" not in cache:
        out: list[Finding] = []
        for h in twilio_handlers(file):
            out.extend(HandlerContract(file, h).run())
        cache["f"] = out
    return cache["f"]
