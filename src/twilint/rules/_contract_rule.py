"""Shared plumbing for the handler-contract rules (see twilint.analysis.contract)."""

from __future__ import annotations

from twilint.model import Rule


class ContractRule(Rule):
    file_kinds = frozenset({"js", "ts"})

    def check_file(self, ctx, file):
        from twilint.analysis.contract import contract_findings

        for f in contract_findings(file):
            if f.rule == self.name:
                ctx.report(file, f.start, f.end, f.message, f.fix)
        return ()
