"""One of each: the conventions of docs/architecture.md ("Conventions"), checked on the source itself.

Each test reads the production modules (everything but tests, migrations and the virtualenv) as syntax
trees and names the offending file and line, so a second copy of a helper, a test switch or a vendor
branch is caught where it is written. Paths are matched by their ending, so moving apps into a package
keeps these checks true.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

# Parsing the source takes about 3 s of CPU: in one test process, once, not in each that draws a check.
pytestmark = pytest.mark.xdist_group("conventions")

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {
    "tests",
    "migrations",
    "node_modules",
    "static",
    "staticfiles",
    "__pycache__",
    "data",
    "test-artifacts",
}


def _python_files(folder: Path) -> Iterator[Path]:
    """Source files under ``folder``, never descending into hidden or skipped folders (the virtualenv
    alone holds tens of thousands of files)."""
    for entry in sorted(folder.iterdir()):
        if entry.is_dir():
            if not (entry.name.startswith(".") or entry.name in SKIPPED_DIRS):
                yield from _python_files(entry)
        elif entry.suffix == ".py":
            yield entry


@cache
def _parsed() -> tuple[tuple[str, ast.Module], ...]:
    """Every production module, parsed once per test process (each check walks the same trees)."""
    return tuple(
        (
            "/".join(path.relative_to(ROOT).parts),
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path)),
        )
        for path in _python_files(ROOT)
    )


def production_modules() -> Iterator[tuple[str, ast.Module]]:
    yield from _parsed()


@cache
def _nodes(name: str) -> tuple[ast.AST, ...]:
    return tuple(ast.walk(dict(_parsed())[name]))


def walk(name: str) -> tuple[ast.AST, ...]:
    """``ast.walk`` of one production module, computed once and shared by every check."""
    return _nodes(name)


def offences(check) -> list[str]:
    found = []
    for name, tree in production_modules():
        found += [f"{name}:{line}: {what}" for line, what in check(name, tree)]
    return found


def module_level(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node evaluated when the module is imported (function bodies excluded)."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            stack += [*node.decorator_list, *node.args.defaults, *filter(None, node.args.kw_defaults)]
        elif isinstance(node, ast.Lambda):
            stack += [*node.args.defaults, *filter(None, node.args.kw_defaults)]
        else:
            stack += list(ast.iter_child_nodes(node))


def test_it_has_one_mapping_from_service_errors_to_form_errors():
    def check(name, tree):
        for node in walk(name):
            if isinstance(node, ast.FunctionDef) and node.name == "add_service_errors":
                if not name.endswith("openhelp/platform/lib/forms.py"):
                    yield node.lineno, "add_service_errors belongs in openhelp/platform/lib/forms.py"

    assert offences(check) == []


def test_it_leaves_label_suffixes_to_the_form_renderer():
    def check(name, tree):
        if name.endswith("openhelp/platform/lib/forms.py"):
            return
        for node in walk(name):
            if isinstance(node, ast.keyword) and node.arg == "label_suffix":
                yield node.lineno, "label_suffix: labels end without a colon through lib.forms.FormRenderer"

    assert offences(check) == []


def test_it_has_one_api_error_schema_imported_from_api_errors():
    def check(name, tree):
        for node in walk(name):
            if isinstance(node, ast.ImportFrom) and any(alias.name == "ERROR_BODY" for alias in node.names):
                if node.module != "openhelp.platform.api.errors" and not (node.module or "").endswith(
                    ".api.errors"
                ):
                    yield node.lineno, f"ERROR_BODY imported from {node.module}, not api.errors"
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "ERROR_BODY" for target in node.targets
            ):
                if not name.endswith("openhelp/platform/api/errors.py"):
                    yield node.lineno, "a second ERROR_BODY"

    assert offences(check) == []


def test_it_counts_rate_limits_in_one_helper():
    def check(name, tree):
        for node in walk(name):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"incr", "decr"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "cache"
            ):
                if not name.endswith("openhelp/platform/lib/ratelimit.py"):
                    yield node.lineno, f"cache.{node.attr}: count with lib.ratelimit.count"

    assert offences(check) == []


def test_it_keeps_the_no_show_policy_defaults_in_settings_only():
    def check(name, tree):
        for node in walk(name):
            if isinstance(node, ast.Dict) and any(
                isinstance(key, ast.Constant) and key.value == "MAX_NO_SHOWS" for key in node.keys
            ):
                if not name.endswith("config/settings.py"):
                    yield node.lineno, "no-show policy defaults outside settings.NO_SHOW_POLICY"

    assert offences(check) == []


def test_it_uses_real_names_not_one_letter_aliases():
    def check(name, tree):
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                for target in node.targets:
                    if isinstance(target, ast.Name) and len(target.id) == 1:
                        yield node.lineno, f"{target.id} = {node.value.id}: use {node.value.id}"

    assert offences(check) == []


def test_it_has_no_test_switches_in_production_code():
    def check(name, tree):
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Name) and (
                    "PROTECTION" in target.id or target.id.startswith("UNPROTECTED")
                ):
                    yield node.lineno, f"{target.id}: tests patch or inject instead"

    assert offences(check) == []


def test_it_reads_settings_when_called_not_when_imported():
    def check(name, tree):
        for node in module_level(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "settings"
            ):
                # Django resolves the user model lazily by name; that one is meant to be read at import.
                if node.attr not in {"AUTH_USER_MODEL"} and not name.endswith("settings.py"):
                    yield node.lineno, f"settings.{node.attr} read at import time"
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "settings"
            ):
                yield node.lineno, "getattr(settings, …) read at import time"

    assert offences(check) == []


def test_it_asks_the_database_seam_not_the_vendor():
    def check(name, tree):
        for node in walk(name):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(side, ast.Attribute) and side.attr == "vendor" for side in sides):
                    if not name.endswith("openhelp/platform/lib/sql.py"):
                        yield (
                            node.lineno,
                            "a vendor branch: name the capability in openhelp/platform/lib/sql.py",
                        )

    assert offences(check) == []


def test_it_names_modules_of_the_same_kind_alike():
    def check(name, tree):
        filename = name.rsplit("/", 1)[-1]
        if filename == "selectors.py":
            yield (
                1,
                "read-only queries live in a module named after their subject (openhelp/directory/programmes/access.py)",
            )
        if filename == "emails.py" and not name.endswith("openhelp/platform/notifications/emails.py"):
            yield 1, "what an app tells people (e-mail attachments included) lives in its notices.py"
        if filename == "notices.py":
            for node in walk(name):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "register":
                    yield node.lineno, "event registrations live in notification_events.py"
        if filename == "signals.py":
            if not any(
                isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Signal"
                for node in ast.walk(tree)
            ):
                yield (
                    1,
                    "signals.py defines signals (django.dispatch.Signal); name other modules for what they hold",
                )
            for node in walk(name):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                    getattr(getattr(d, "func", d), "id", None) == "receiver" for d in node.decorator_list
                ):
                    yield (
                        node.lineno,
                        "signal receivers live in receivers.py; signals.py only defines signals",
                    )

    assert offences(check) == []


def test_it_imports_inside_a_function_only_with_a_reason():
    """docs/architecture.md: an import inside a function only where it must be, with the reason in a comment
    on it or just above it. ``AppConfig.ready`` needs none for the project's own modules: that is where Django
    lets an app wire itself once every model is loaded (anything else belongs at the top of apps.py)."""

    def check(name, tree):
        if not name.startswith(("openhelp/", "config/")):
            return  # bench/ and scripts/ are tools, which load what each command needs
        lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
        for function in walk(name):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in function.body:
                for inner in ast.walk(node):
                    if not isinstance(inner, ast.Import | ast.ImportFrom):
                        continue
                    modules = (
                        [inner.module or ""]
                        if isinstance(inner, ast.ImportFrom)
                        else [alias.name for alias in inner.names]
                    )
                    if (
                        name.endswith("apps.py")
                        and function.name == "ready"
                        and all(module.startswith("openhelp.") for module in modules)
                    ):
                        continue
                    said = lines[inner.lineno - 2 : inner.end_lineno]
                    if not any("#" in line for line in said):
                        yield (
                            inner.lineno,
                            f"import {', '.join(modules)} inside {function.name}() without a reason",
                        )

    assert offences(check) == []
