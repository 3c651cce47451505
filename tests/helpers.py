"""Helpers for tests: sites written from strings, builds that must pass or fail."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from sitegen.build import BuildResult, build
from sitegen.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "sites"
TODAY = dt.date(2026, 11, 28)

SITE_YAML = """\
title: {fr: "Portail", de: "Portal", en: "Portal"}
base_url: "https://test.example.ch/"
default_language: fr
languages: [fr, de, en]
regions:
  - id: valais-central
    name: {fr: "Valais central", de: "Mittelwallis", en: "Central Valais"}
  - id: haut-valais
    name: {fr: "Haut-Valais", de: "Oberwallis", en: "Upper Valais"}
kinds:
  - id: course
    name: {fr: "Cours de langue", de: "Sprachkurse", en: "Language courses"}
"""

PAGE = "---\ntitle: {title}\n---\nText.\n"


def write_site(root: Path, files: dict[str, str], site_yaml: str | None = SITE_YAML) -> Path:
    """Write a small site: `files` maps paths under the site folder to their (dedented) text."""
    root.mkdir(parents=True, exist_ok=True)
    if site_yaml is not None and "site.yaml" not in files:
        (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def build_ok(site: Path, out: Path | None = None) -> tuple[Path, BuildResult]:
    out = out or site / "build"
    return out, build(site, out, today=TODAY)


def build_errors(site: Path, out: Path | None = None) -> list[str]:
    """The formatted diagnostics of a build that must fail."""
    with pytest.raises(ContentError) as info:
        build(site, out or site / "build", today=TODAY)
    return [d.format() for d in info.value.diagnostics]
