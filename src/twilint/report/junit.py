"""JUnit XML (``--format junit``) for CI test-report views (GitLab, Jenkins, Azure, CircleCI).

One ``<testsuite>`` per checked file (``name`` = the path), one ``<testcase>`` per diagnostic
(``name`` = ``rule at line:column``, ``classname`` = the path with ``/`` turned into ``.``, so
viewers group by folder). Error and warning diagnostics are ``<failure>``s, ``io-error`` and
``internal-error`` are ``<error>``s, info diagnostics are passing test cases with the message in
``<system-out>``. A file with no diagnostics is a suite with one passing test case (``twilint``),
so the report counts every checked file. Config and usage errors go in a ``twilint`` suite as
``<error>``s.
"""

from __future__ import annotations

from twilint.engine import INTERNAL_ERROR, IO_ERROR, display_path
from twilint.report import RunResult


_NOT_XML = None


def _xml_text(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (control characters other than tab, CR, LF)."""
    global _NOT_XML
    if _NOT_XML is None:
        import re

        _NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    return _NOT_XML.sub("\ufffd", text)


def _classname(path: str) -> str:
    return path.replace("\\", "/").replace("/", ".")


def to_xml(result: RunResult) -> str:
    import xml.etree.ElementTree as ET

    by_file: dict[str, list] = {}
    for project in result.projects:
        if project.root not in result.active_rules:
            continue  # a config error stopped twilint from checking it
        for target in project.targets:
            by_file.setdefault(display_path(target), [])
    for d in sorted(result.diagnostics, key=lambda d: d.sort_key()):
        by_file.setdefault(display_path(d.path), []).append(d)

    root = ET.Element("testsuites", name="twilint")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    if result.errors:
        suite = ET.SubElement(root, "testsuite", name="twilint")
        for i, err in enumerate(result.errors, start=1):
            case = ET.SubElement(suite, "testcase", name=f"configuration {i}", classname="twilint")
            ET.SubElement(case, "error", message=_xml_text(err), type="config-error").text = _xml_text(err)
        suite.set("tests", str(len(result.errors)))
        suite.set("failures", "0")
        suite.set("errors", str(len(result.errors)))
        totals["tests"] += len(result.errors)
        totals["errors"] += len(result.errors)
    for path in sorted(by_file):
        diags = by_file[path]
        suite = ET.SubElement(root, "testsuite", name=path)
        failures = errors = 0
        if not diags:
            ET.SubElement(suite, "testcase", name="twilint", classname=_classname(path), file=path)
        for d in diags:
            case = ET.SubElement(suite, "testcase", name=f"{d.rule} at {d.line}:{d.column}",
                                 classname=_classname(path), file=path, line=str(d.line))
            text = f"{path}:{d.line}:{d.column}: {d.severity.label}[{d.rule}] {d.message}"
            if d.fix is not None:
                text += f"\nfix ({d.fix.safety}): {d.fix.description}"
            text = _xml_text(text)
            message = _xml_text(d.message)
            if d.rule in (IO_ERROR, INTERNAL_ERROR):
                ET.SubElement(case, "error", message=message, type=d.rule).text = text
                errors += 1
            elif d.severity.label in ("error", "warning"):
                ET.SubElement(case, "failure", message=message, type=d.rule).text = text
                failures += 1
            else:
                ET.SubElement(case, "system-out").text = text
        tests = max(1, len(diags))
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        totals["tests"] += tests
        totals["failures"] += failures
        totals["errors"] += errors
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(result: RunResult, out) -> None:
    out.write(to_xml(result))
