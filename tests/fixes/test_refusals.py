"""Fixers refuse, with a reason, what they cannot write faithfully; offers stay narrow."""

from __future__ import annotations

from pathlib import Path

import pytest
from fix_helpers import only, scan_tree, with_fix
from project_files import write_tree

from asyncdoc_tui.fixes import FixRefused, compute_fix

HTTP = "import requests\n\n\nasync def f(url, payload, extra, ok):\n    {}\n    return ok\n"


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("ok = requests.get(url, cert=('a', 'b'))", "cannot map requests argument `cert`"),
        ("ok = requests.post(url, data=payload)", "cannot tell whether `data` is a form dict"),
        ("ok = requests.get(url, stream=True)", "cannot map requests argument `stream`"),
        ("ok = requests.get(url, **extra)", "cannot map `**` arguments"),
        ("ok = requests.get(url, auth=requests.auth.HTTPBasicAuth('u', 'p'))", "cannot map a requests auth object"),
        ("ok = requests.get(url, timeout=(1, 2, 3))", "not (connect, read)"),
        ("if requests.get(url).ok: pass", "header of a `if` statement"),
        ("ok = requests.get(url); print(ok)", "shares its line"),
    ],
)
def test_requests_to_httpx_refusals(statement: str, reason: str, project_dir: Path) -> None:
    write_tree(project_dir, {"mod.py": HTTP.format(statement)})
    project, result = scan_tree(project_dir)
    finding = only(with_fix(result, "requests-to-httpx"))
    with pytest.raises(FixRefused, match=reason.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        compute_fix(project, finding, "requests-to-httpx")


def test_body_on_get_uses_request_and_head_keeps_redirects(project_dir: Path) -> None:
    write_tree(
        project_dir,
        {"mod.py": "import requests\n\n\nasync def f(url):\n    a = requests.get(url, json={'q': 1})\n    b = requests.head(url)\n    return a, b\n"},
    )
    project, result = scan_tree(project_dir)
    first, second = with_fix(result, "requests-to-httpx")
    assert 'await client.request("GET", url, json={\'q\': 1}, follow_redirects=True)' in compute_fix(project, first, "requests-to-httpx").new_text
    assert "b = await client.head(url)\n" in compute_fix(project, second, "requests-to-httpx").new_text


def test_a_clashing_client_name_is_avoided(project_dir: Path) -> None:
    write_tree(project_dir, {"mod.py": "import requests\n\n\nasync def f(client):\n    r = requests.get(client)\n    return r\n"})
    project, result = scan_tree(project_dir)
    text = compute_fix(project, only(result.findings), "requests-to-httpx").new_text
    assert "async with httpx.AsyncClient() as http_client:\n        r = await http_client.get(client, follow_redirects=True)" in text


def test_async_to_def_only_for_endpoints_nothing_calls(project_dir: Path) -> None:
    write_tree(
        project_dir,
        {
            "app.py": "import time\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.get('/a')\nasync def a():\n    time.sleep(1)\n\n\n"
            "@app.get('/b')\nasync def b():\n    time.sleep(1)\n\n\n"
            "async def helper():\n    time.sleep(1)\n\n\n"
            "async def runner():\n    await b()\n",
        },
    )
    _, result = scan_tree(project_dir)
    offered = {f.line for f in with_fix(result, "async-to-def")}
    assert offered == {10}  # `a` only: `b` is awaited by runner, `helper` is no endpoint


def test_unknown_and_inapplicable_fixes_are_refused(project_dir: Path) -> None:
    write_tree(project_dir, {"mod.py": "import time\n\n\nasync def f():\n    time.sleep(1)\n"})
    project, result = scan_tree(project_dir)
    with pytest.raises(FixRefused, match="unknown fix"):
        compute_fix(project, result.findings[0], "no-such-fix")
    with pytest.raises(FixRefused, match="does not apply"):
        compute_fix(project, result.findings[0], "requests-to-httpx")
