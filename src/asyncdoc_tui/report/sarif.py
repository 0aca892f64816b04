"""SARIF 2.1.0 for GitHub code scanning (`asyncdoc check --format sarif > asyncdoc.sarif`)."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from asyncdoc_tui import __version__
from asyncdoc_tui.model import Finding, ScanResult, Severity
from asyncdoc_tui.report.paths import workspace_path
from asyncdoc_tui.report.skipped import incomplete_reason, nothing_analysed
from asyncdoc_tui.rules.catalog import RuleInfo, load_catalog

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/asyncdoc/asyncdoc-tui"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule(code: str, info: RuleInfo | None) -> dict[str, Any]:
    title = info.title if info else code
    help_text = f"{info.explanation}\n\nInstead: {info.alternative}" if info else title
    rule: dict[str, Any] = {
        "id": code,
        "name": "".join(word.capitalize() for word in re.findall(r"[A-Za-z0-9]+", title)) or code,
        "shortDescription": {"text": title},
        "fullDescription": {"text": info.explanation if info else title},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVEL[info.severity if info else Severity.ERROR]},
        "properties": {"tags": ["async", info.category if info else "asyncdoc"]},
    }
    if info and info.equivalent:
        rule["properties"]["equivalent"] = info.equivalent
    return rule


def _fingerprint(finding: Finding) -> str:
    """Stable across line shifts: code, file and message (which names the call)."""
    return hashlib.sha256(f"{finding.code}\0{finding.path}\0{finding.message}".encode()).hexdigest()[:32]


def _result(finding: Finding, root: str, rule_index: int) -> dict[str, Any]:
    text = finding.message + (f" Instead: {finding.alternative}." if finding.alternative else "")
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": workspace_path(root, finding.path)},
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.col,
                        "endLine": max(finding.end_line, finding.line),
                        "endColumn": finding.end_col if finding.end_line > finding.line else max(finding.end_col, finding.col + 1),
                    },
                }
            }
        ],
        "partialFingerprints": {"asyncdocFinding/v1": _fingerprint(finding)},
    }
    if finding.incomplete_files:  # said in the text, kept out of the fingerprint
        result["message"]["text"] += f" (incomplete: {incomplete_reason(finding)})"
        result["properties"] = {"incomplete": True, "incompleteFiles": list(finding.incomplete_files)}
    if finding.evidence:
        result["relatedLocations"] = [
            {
                "id": index,
                "physicalLocation": {
                    "artifactLocation": {"uri": workspace_path(root, hop.path)},
                    "region": {"startLine": max(hop.line, 1)},
                },
                "message": {"text": hop.note or f"{hop.path}:{hop.line}"},
            }
            for index, hop in enumerate(finding.evidence)
        ]
    return result


def result_to_sarif(result: ScanResult) -> dict[str, Any]:
    catalog = load_catalog()
    codes = sorted({f.code for f in result.findings} | set(catalog.rules))
    index = {code: i for i, code in enumerate(codes)}
    notifications: list[dict[str, Any]] = [
        {
            "level": "warning",
            "message": {"text": f"skipped: {s.reason}"},
            "descriptor": {"id": "skipped-file"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": workspace_path(result.root, s.path)}}}],
        }
        for s in result.skipped
    ]
    problem = nothing_analysed(result.root, result.files_scanned, result.skipped)
    if problem:
        notifications.append({"level": "error", "message": {"text": problem}, "descriptor": {"id": "nothing-analysed"}})
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "asyncdoc",
                        "semanticVersion": __version__,
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": [_rule(code, catalog.rules.get(code)) for code in codes],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not problem,
                        "toolExecutionNotifications": notifications,
                        "properties": {"filesScanned": result.files_scanned, "filesSkipped": len(result.skipped)},
                    }
                ],
                "results": [_result(f, result.root, index[f.code]) for f in result.findings],
            }
        ],
    }


def render_sarif(result: ScanResult) -> str:
    return json.dumps(result_to_sarif(result), indent=2) + "\n"
