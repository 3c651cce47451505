"""The benchmark corpus (bench/corpus.py, sitegen's format) as a Hugo, a Pelican and an MkDocs site.

    python bench/peers.py convert SITE DEST [--peers hugo,pelican,mkdocs]
    python bench/peers.py pelican-build DEST/pelican OUT     (what the benchmark times for Pelican)

Each adapter keeps the same pages (front matter mapped, Markdown unchanged except for
the link syntax a tool requires) and turns every offer into one Markdown page per
language, plus lists of offers: all, by kind, by region. The aim is the same work a
sitegen build does, in each tool's idiomatic way, not a tuned or a crippled peer:

- Hugo (Debian's `hugo`): one multilingual site, `contentDir` per language; offers are
  a section whose pages carry every field in their front matter and are laid out by a
  template; kinds and regions are taxonomies, so Hugo paginates their lists; a link
  render hook resolves the `.md` links between pages (sitegen resolves them too, and
  fails on a broken one, as the hook does); `relativeURLs`, as sitegen's links are
  relative; interface strings through Hugo's i18n; no RSS (sitegen writes none).
- Pelican: one site per language built in one process, one after the other: what the
  i18n_subsites plugin does, without a plugin that is not on PyPI. Pages are Pelican
  pages, offers are articles (kind = category, region = tag, paginated by 30 like
  sitegen); `{filename}` links, so Pelican resolves them; the default theme with the
  page list off the menu (on, every page would list every page).
- MkDocs: one build per language, three `mkdocs build` runs, as issue 6 says; the
  default theme and its navigation (every page lists every page: MkDocs' design) and
  search index (sitegen writes a search index too); lists of offers as generated pages,
  not paginated (MkDocs cannot).

Every build goes to a fresh output folder given by the benchmark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PER_PAGE = 30  # sitegen's default per_page: lists paginate the same way everywhere they can

# Interface strings of the peers' templates and generated pages (sitegen's come from its catalogs):
# key -> (fr, de, en), one row per string, so that no language can lack one.
LABEL_ROWS: dict[str, tuple[str, str, str]] = {
    "offers": ("Offres", "Angebote", "Offers"),
    "all_offers": ("Toutes les offres", "Alle Angebote", "All offers"),
    "kind": ("Type d'offre", "Art des Angebots", "Kind of offer"),
    "region": ("Région", "Region", "Region"),
    "provider": ("Proposé par", "Angeboten von", "Offered by"),
    "address": ("Adresse", "Adresse", "Address"),
    "languages": ("Langues", "Sprachen", "Languages"),
    "level": ("Niveau", "Niveau", "Level"),
    "when": ("Quand", "Wann", "When"),
    "dates": ("Dates", "Daten", "Dates"),
    "hours": ("Heures d'ouverture", "Öffnungszeiten", "Opening hours"),
    "price": ("Prix", "Preis", "Price"),
    "free": ("Gratuit", "Kostenlos", "Free"),
    "childcare": ("Garde d'enfants", "Kinderbetreuung", "Childcare"),
    "yes": ("Oui", "Ja", "Yes"),
    "no": ("Non", "Nein", "No"),
    "for": ("Pour", "Für", "For"),
    "phone": ("Téléphone", "Telefon", "Phone"),
    "email": ("E-mail", "E-Mail", "E-mail"),
    "website": ("Site web", "Website", "Website"),
    "map": ("Voir sur une carte", "Auf der Karte zeigen", "Show on a map"),
    "checked": ("Informations vérifiées le", "Informationen geprüft am", "Information checked on"),
    "search": ("Rechercher", "Suchen", "Search"),
    "skip": ("Aller au contenu", "Zum Inhalt", "Skip to content"),
    "updated": ("Dernière mise à jour", "Zuletzt aktualisiert", "Last updated"),
    "toc": ("Sur cette page", "Auf dieser Seite", "On this page"),
    "by_kind": ("Par type", "Nach Art", "By kind"),
    "by_region": ("Par région", "Nach Region", "By region"),
    "about": ("À propos de cette offre", "Über dieses Angebot", "About this offer"),
    "languages_nav": ("Langues", "Sprachen", "Languages"),
    "page_not_found": ("Page introuvable", "Seite nicht gefunden", "Page not found"),
}
LABELS: dict[str, dict[str, str]] = {
    lang: {key: row[i] for key, row in LABEL_ROWS.items()}
    for i, lang in enumerate(("fr", "de", "en"))
}
LANGUAGE_NAMES = {
    "fr": "Français",
    "de": "Deutsch",
    "en": "English",
    "it": "Italiano",
    "pt": "Português",
    "es": "Español",
}
# URL folder of the offers in the peers (sitegen localises it: offres, angebote)
OFFER_SECTION = "offers"
MD_LINK = re.compile(r"\]\((?!https?:|mailto:|tel:|#|/)([^)\s]+\.md)(#[^)\s]*)?\)")


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["en"])


# -- reading the corpus ------------------------------------------------------------------------


@dataclass
class SourcePage:
    rel: str  # path under content/<lang>/, e.g. logement/logement-0000.md
    meta: dict[str, Any]
    body: str


@dataclass
class Corpus:
    root: Path
    languages: list[str]
    default: str
    title: dict[str, str]
    # facet (kinds, regions, audiences) -> id -> language -> name
    terms: dict[str, dict[str, dict[str, str]]]
    pages: dict[str, list[SourcePage]] = field(default_factory=dict)  # language -> pages
    offers: list[dict[str, Any]] = field(default_factory=list)

    def text(self, value: Any, lang: str) -> str:
        """A text field: one string, or one per language (falling back to the default language)."""
        if isinstance(value, dict):
            return str(value.get(lang) or value.get(self.default) or next(iter(value.values()), ""))
        return "" if value is None else str(value)

    def term(self, facet: str, term_id: str, lang: str) -> str:
        return self.text(self.terms.get(facet, {}).get(term_id, {}), lang) or term_id


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]) or {}, text[end + 5 :]


def read_corpus(site: Path) -> Corpus:
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    languages = list(config["languages"])
    terms = {
        facet: {t["id"]: t["name"] for t in config.get(facet, [])}
        for facet in ("kinds", "regions", "audiences")
    }
    title = {
        lang: (config["title"].get(lang) if isinstance(config["title"], dict) else config["title"])
        for lang in languages
    }
    corpus = Corpus(site, languages, config.get("default_language", languages[0]), title, terms)
    for lang in languages:
        root = site / "content" / lang
        corpus.pages[lang] = []
        for path in sorted(root.rglob("*.md")):
            meta, body = _front_matter(path.read_text(encoding="utf-8"))
            corpus.pages[lang].append(SourcePage(path.relative_to(root).as_posix(), meta, body))
    for path in sorted((site / "content" / "offers").glob("*.yaml")):
        corpus.offers.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return corpus


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _yaml_front(meta: dict[str, Any], body: str) -> str:
    return (
        "---\n"
        + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        + "---\n"
        + body
    )


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def offer_facts(corpus: Corpus, offer: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(label, Markdown) of every field, for the tools without a data template (Pelican, MkDocs)."""
    words = labels(lang)
    contact = offer.get("contact") or {}
    facts = [
        (words["kind"], corpus.term("kinds", offer["kind"], lang)),
        (words["region"], corpus.term("regions", offer["region"], lang)),
        (words["provider"], corpus.text(offer.get("provider"), lang)),
        (
            words["address"],
            corpus.text(offer.get("address"), lang) or corpus.text(offer.get("commune"), lang),
        ),
        (
            words["languages"],
            ", ".join(LANGUAGE_NAMES.get(code, code) for code in offer.get("languages", [])),
        ),
        (words["level"], ", ".join(offer.get("levels", []))),
        (words["when"], corpus.text(offer.get("schedule"), lang)),
        (
            words["dates"],
            f"{_iso(offer['starts'])} – {_iso(offer['ends'])}"
            if offer.get("starts") and offer.get("ends")
            else "",
        ),
        (words["hours"], str(offer.get("opening_hours") or "")),
        (
            words["price"],
            words["free"]
            if offer.get("price_chf") == 0
            else f"CHF {offer.get('price_chf')}"
            if offer.get("price_chf") is not None
            else "",
        ),
        (
            words["childcare"],
            ""
            if offer.get("childcare") is None
            else words["yes"]
            if offer["childcare"]
            else words["no"],
        ),
        (
            words["for"],
            ", ".join(corpus.term("audiences", a, lang) for a in offer.get("audiences", [])),
        ),
        (
            words["phone"],
            f"[{contact['phone']}](tel:{contact['phone'].replace(' ', '')})"
            if contact.get("phone")
            else "",
        ),
        (
            words["email"],
            f"[{contact['email']}](mailto:{contact['email']})" if contact.get("email") else "",
        ),
        (
            words["website"],
            f"[{contact['website']}]({contact['website']})" if contact.get("website") else "",
        ),
    ]
    if offer.get("geo"):
        lat, lon = offer["geo"]
        facts.append(
            (
                words["map"],
                f"[{lat}, "
                f"{lon}](https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon})",
            )
        )
    return [(label, value) for label, value in facts if value]


def offer_body(corpus: Corpus, offer: dict[str, Any], lang: str) -> str:
    facts = "\n".join(
        f"- **{label}:** {value}" for label, value in offer_facts(corpus, offer, lang)
    )
    description = corpus.text(offer.get("description"), lang).strip()
    reviewed = (
        f"\n\n*{labels(lang)['checked']} {_iso(offer['reviewed'])}*"
        if offer.get("reviewed")
        else ""
    )
    return f"{facts}\n\n## {labels(lang)['about']}\n\n{description}{reviewed}\n"


def published(offer: dict[str, Any], today: dt.date) -> bool:
    """sitegen does not publish past offers; the peers get the same list."""
    ends = offer.get("ends")
    return not isinstance(ends, dt.date) or ends >= today


# -- the builds the benchmark times ---------------------------------------------------------------


@dataclass
class PeerBuild:
    name: str
    commands: list[list[str]]  # run in sequence and timed together
    out: Path


def hugo_build(dest: Path, out: Path) -> PeerBuild:
    # --noBuildLock: no .hugo_build.lock to leave behind; quiet, so the terminal costs nothing.
    return PeerBuild(
        "hugo",
        [
            [
                "hugo",
                "--source",
                str(dest / "hugo"),
                "--destination",
                str(out),
                "--quiet",
                "--noBuildLock",
            ]
        ],
        out,
    )


def pelican_build(dest: Path, out: Path) -> PeerBuild:
    return PeerBuild(
        "pelican",
        [
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "pelican-build",
                str(dest / "pelican"),
                str(out),
            ]
        ],
        out,
    )


def mkdocs_build(dest: Path, out: Path) -> PeerBuild:
    langs = json.loads((dest / "mkdocs" / "languages.json").read_text())
    return PeerBuild(
        "mkdocs",
        [
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--quiet",
                "--config-file",
                str(dest / "mkdocs" / lang / "mkdocs.yml"),
                "--site-dir",
                str(out / lang),
            ]
            for lang in langs
        ],
        out,
    )


def pagefind_build(site_out: Path) -> PeerBuild:
    # Pagefind writes its index into the site it indexes: <site>/pagefind/.
    return PeerBuild(
        "pagefind",
        [[sys.executable, "-m", "pagefind", "--site", str(site_out)]],
        site_out / "pagefind",
    )


BUILDS: dict[str, Callable[[Path, Path], PeerBuild]] = {
    "hugo": hugo_build,
    "pelican": pelican_build,
    "mkdocs": mkdocs_build,
}


# -- Hugo ------------------------------------------------------------------------------------------

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'">
<meta name="referrer" content="no-referrer">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ site.Title }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . }}">
{{ end }}<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ \
.Permalink }}">
{{ end }}<link rel="stylesheet" href="{{ "site.css" | relURL }}">
</head>
<body>
<a class="skip-link" href="#main">{{ i18n "skip" }}</a>
<header class="site-header">
<div class="bar">
<a class="brand" href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav class="languages" aria-label="{{ i18n "languages_nav" }}">
<ul>
{{ range .AllTranslations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}" \
lang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></li>
{{ end }}</ul>
</nav>
</div>
<form role="search" class="site-search" action="{{ "search/" | relLangURL }}" method="get">
<label for="site-search-q">{{ i18n "search" }}</label>
<input type="search" id="site-search-q" name="q" autocomplete="off">
<button type="submit">{{ i18n "search" }}</button>
</form>
<nav class="main-menu"><ul>
{{ range site.Menus.main }}<li><a href="{{ .URL }}">{{ .Name }}</a></li>
{{ end }}<li><a href="{{ "offers/" | relLangURL }}">{{ i18n "all_offers" }}</a></li>
</ul></nav>
</header>
{{ if not .IsHome }}<nav class="breadcrumbs"><ol>
{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
{{ end }}</ol></nav>{{ end }}
<main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
<p><a href="{{ "offers/" | relLangURL }}">{{ i18n "all_offers" }}</a> · <a href="{{ "search/" | \
relLangURL }}">{{ i18n "search" }}</a></p>
</footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>
{{ end }}<nav class="toc"><h2>{{ i18n "toc" }}</h2>{{ .TableOfContents }}</nav>
<div class="prose">
{{ .Content }}
</div>
{{ if not .Lastmod.IsZero }}<p class="updated">{{ i18n "updated" }} {{ .Lastmod | time.Format \
":date_long" }}</p>{{ end }}
</article>{{ end }}
""",
    "offers/single.html": """{{ define "main" }}<article class="offer">
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>
{{ end }}{{ $p := .Params }}<ul class="actions">
{{ with $p.contact.phone }}<li><a class="button" href="tel:{{ replace . " " "" }}">{{ . \
}}</a></li>{{ end }}
{{ with $p.contact.email }}<li><a class="button" href="mailto:{{ . }}">{{ . }}</a></li>{{ end }}
{{ with $p.contact.website }}<li><a class="button" href="{{ . }}" rel="noopener">{{ i18n "website" \
}}</a></li>{{ end }}
{{ with $p.geo }}<li><a class="button" rel="noopener"
 href="https://www.openstreetmap.org/?mlat={{ index . 0 }}&mlon={{ index . 1 }}#map=17/{{ index . \
0 }}/{{ index . 1 }}">{{ i18n "map" }}</a></li>{{ end }}
</ul>
<dl class="facts">
{{ range .GetTerms "kinds" }}<dt>{{ i18n "kind" }}</dt><dd><a href="{{ .RelPermalink }}">{{ \
.LinkTitle }}</a></dd>{{ end }}
{{ range .GetTerms "regions" }}<dt>{{ i18n "region" }}</dt><dd><a href="{{ .RelPermalink }}">{{ \
.LinkTitle }}</a></dd>{{ end }}
{{ with $p.provider }}<dt>{{ i18n "provider" }}</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.address }}<dt>{{ i18n "address" }}</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.offer_languages }}<dt>{{ i18n "languages" }}</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with $p.levels }}<dt>{{ i18n "level" }}</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with $p.schedule }}<dt>{{ i18n "when" }}</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.starts }}<dt>{{ i18n "dates" }}</dt><dd>{{ time.Format ":date_long" . }} – {{ \
time.Format ":date_long" $p.ends }}</dd>{{ end }}
{{ with $p.opening_hours }}<dt>{{ i18n "hours" }}</dt><dd>{{ . }}</dd>{{ end }}
<dt>{{ i18n "price" }}</dt><dd>{{ if eq $p.price_chf 0 }}{{ i18n "free" }}{{ else }}CHF {{ \
$p.price_chf }}{{ end }}</dd>
<dt>{{ i18n "childcare" }}</dt><dd>{{ if $p.childcare }}{{ i18n "yes" }}{{ else }}{{ i18n "no" \
}}{{ end }}</dd>
{{ with $p.audience_names }}<dt>{{ i18n "for" }}</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with $p.contact.phone }}<dt>{{ i18n "phone" }}</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.contact.email }}<dt>{{ i18n "email" }}</dt><dd>{{ . }}</dd>{{ end }}
</dl>
<section><h2>{{ i18n "about" }}</h2>
<div class="prose">
{{ .Content }}
</div></section>
{{ with $p.reviewed }}<p class="updated">{{ i18n "checked" }} {{ time.Format ":date_long" . \
}}</p>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
{{ partial "facets.html" . }}
{{ $pager := .Paginate .Pages }}
<ul class="cards">
{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary \
}}<p>{{ . }}</p>{{ end }}</li>
{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle \
}}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
""",
    "partials/facets.html": """<nav class="facets">
<h2>{{ i18n "by_kind" }}</h2><ul>
{{ range site.Taxonomies.kinds.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ \
.Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>
<h2>{{ i18n "by_region" }}</h2><ul>
{{ range site.Taxonomies.regions.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ \
.Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>
</nav>
""",
    "index.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<div class="prose">
{{ .Content }}
</div>
{{ partial "facets.html" . }}
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>{{ i18n "page_not_found" }}</h1>
<p><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></p>
{{ end }}
""",
    # Links are written to the source file (`[x](../travail/travail-0097.md)`), as in sitegen:
    # resolve them to the page in the same language, and fail on a broken one, as sitegen does.
    "_default/_markup/render-link.html": """{{- $dest := .Destination -}}
{{- $u := urls.Parse .Destination -}}
{{- if and (not $u.IsAbs) (strings.HasSuffix $u.Path ".md") -}}
{{- $path := path.Join "/" .Page.File.Dir $u.Path | strings.TrimSuffix ".md" -}}
{{- with site.GetPage $path -}}{{- $dest = .RelPermalink -}}{{- with $u.Fragment }}{{ $dest = \
printf "%s#%s" $dest . }}{{ end -}}
{{- else -}}{{- errorf "%s: broken link %s" $.Page.File.Path $.Destination -}}{{- end -}}
{{- end -}}
<a href="{{ $dest | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>
{{- /* no trailing newline: it would end up inside the paragraph */ -}}
""",
}


def write_hugo(corpus: Corpus, dest: Path, today: dt.date) -> None:
    root = dest / "hugo"
    shutil.rmtree(root, ignore_errors=True)
    config = [
        'baseURL = "https://bench.example.ch/"',
        f'defaultContentLanguage = "{corpus.default}"',
        "defaultContentLanguageInSubdir = true",
        "relativeURLs = true",
        'disableKinds = ["RSS"]',
        "enableRobotsTXT = true",
        f"paginate = {PER_PAGE}",
        "[taxonomies]",
        '  kind = "kinds"',
        '  region = "regions"',
        "[markup.tableOfContents]",
        "  startLevel = 2",
        "  endLevel = 2",
    ]
    for weight, lang in enumerate(corpus.languages, 1):
        config += [
            f"[languages.{lang}]",
            f'  contentDir = "content/{lang}"',
            f"  weight = {weight}",
            f"  title = {json.dumps(corpus.title[lang], ensure_ascii=False)}",
            f"  languageName = {json.dumps(LANGUAGE_NAMES.get(lang, lang), ensure_ascii=False)}",
        ]
    _write(root / "config.toml", "\n".join(config) + "\n")
    for name, text in HUGO_LAYOUTS.items():
        _write(root / "layouts" / name, text)
    static_css = Path(__file__).resolve().parents[1] / "sitegen" / "static" / "site.css"
    if static_css.is_file():
        _write(root / "static" / "site.css", static_css.read_text(encoding="utf-8"))
    for lang in corpus.languages:
        words = labels(lang)
        _write(root / "i18n" / f"{lang}.yaml", yaml.safe_dump(words, allow_unicode=True))
        content = root / "content" / lang
        for page in corpus.pages[lang]:
            meta: dict[str, Any] = {"title": page.meta.get("title", "")}
            for key in ("summary", "keywords", "weight", "draft", "slug"):
                if key in page.meta:
                    meta[key] = page.meta[key]
            if "updated" in page.meta:
                meta["lastmod"] = _iso(page.meta["updated"])
            if page.meta.get("menu"):
                meta["menu"] = page.meta["menu"]
            # Hugo's home is the root _index.md
            rel = "_index.md" if page.rel == "index.md" else page.rel
            _write(content / rel, _yaml_front(meta, page.body))
        _write(
            content / OFFER_SECTION / "_index.md", _yaml_front({"title": words["all_offers"]}, "")
        )
        for facet in ("kinds", "regions"):
            for term_id in corpus.terms[facet]:
                _write(
                    content / facet / term_id / "_index.md",
                    _yaml_front({"title": corpus.term(facet, term_id, lang)}, ""),
                )
        for offer in corpus.offers:
            if not published(offer, today):
                continue
            meta = {
                "title": corpus.text(offer.get("title"), lang),
                "summary": corpus.text(offer.get("summary"), lang),
                "date": _iso(offer.get("reviewed") or offer.get("starts") or today),
                "expiryDate": _iso(offer["ends"]) if offer.get("ends") else None,
                "kinds": [offer["kind"]],
                "regions": [offer["region"]],
                "provider": corpus.text(offer.get("provider"), lang),
                "commune": corpus.text(offer.get("commune"), lang),
                "address": corpus.text(offer.get("address"), lang),
                "geo": offer.get("geo"),
                "offer_languages": [
                    LANGUAGE_NAMES.get(code, code) for code in offer.get("languages", [])
                ],
                "levels": offer.get("levels", []),
                "schedule": corpus.text(offer.get("schedule"), lang),
                "price_chf": offer.get("price_chf"),
                "childcare": offer.get("childcare"),
                "audience_names": [
                    corpus.term("audiences", a, lang) for a in offer.get("audiences", [])
                ],
                "contact": offer.get("contact") or {},
                "opening_hours": offer.get("opening_hours"),
                "starts": _iso(offer["starts"]) if offer.get("starts") else None,
                "ends": _iso(offer["ends"]) if offer.get("ends") else None,
                "reviewed": _iso(offer["reviewed"]) if offer.get("reviewed") else None,
            }
            meta = {key: value for key, value in meta.items() if value is not None}
            _write(
                content / OFFER_SECTION / f"{offer['id']}.md",
                _yaml_front(meta, corpus.text(offer.get("description"), lang)),
            )


# -- Pelican ---------------------------------------------------------------------------------------


def _pelican_meta(meta: dict[str, Any]) -> str:
    # Pelican's Markdown reader takes "Key: value" lines (Python-Markdown's meta extension).
    return (
        "".join(f"{key}: {value}\n" for key, value in meta.items() if value not in (None, ""))
        + "\n"
    )


def write_pelican(corpus: Corpus, dest: Path, today: dt.date) -> None:
    root = dest / "pelican"
    shutil.rmtree(root, ignore_errors=True)
    _write(
        root / "languages.json", json.dumps({lang: corpus.title[lang] for lang in corpus.languages})
    )
    for lang in corpus.languages:
        content = root / lang
        for page in corpus.pages[lang]:
            # An explicit slug: Pelican would derive it from the title, and two pages may share a
            # title.
            meta = {
                "Title": page.meta.get("title", ""),
                "Slug": page.rel[:-3].replace("/", "-"),
                "Summary": page.meta.get("summary"),
                "Lang": lang,
                "Keywords": ", ".join(page.meta.get("keywords", [])),
                "Modified": _iso(page.meta["updated"]) if page.meta.get("updated") else None,
            }
            if page.rel == "index.md":  # the home page, at the root of the language's site
                meta.update({"Save_as": "index.html", "URL": ""})
            # Pelican resolves `{filename}` links, relative to the current file, to the target's
            # URL.
            body = MD_LINK.sub(
                lambda m: f"]({{filename}}{m.group(1)}{m.group(2) or ''})", page.body
            )
            _write(content / "pages" / page.rel, _pelican_meta(meta) + body)
        for offer in corpus.offers:
            if not published(offer, today):
                continue
            meta = {
                "Title": corpus.text(offer.get("title"), lang),
                "Summary": corpus.text(offer.get("summary"), lang),
                "Date": _iso(offer.get("reviewed") or offer.get("starts") or today),
                "Slug": offer["id"],
                "Lang": lang,
                "Category": corpus.term("kinds", offer["kind"], lang),
                "Tags": corpus.term("regions", offer["region"], lang),
            }
            _write(
                content / "offers" / f"{offer['id']}.md",
                _pelican_meta(meta) + offer_body(corpus, offer, lang),
            )


def run_pelican(root: Path, out: Path) -> int:
    """Build every language's site, one after the other, in this process."""
    import logging

    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING)
    titles = json.loads((root / "languages.json").read_text(encoding="utf-8"))
    for lang, title in titles.items():
        settings = read_settings(
            None,
            override={
                "PATH": str(root / lang),
                "OUTPUT_PATH": str(out / lang),
                "SITENAME": title,
                "SITEURL": "",
                "RELATIVE_URLS": True,
                "DEFAULT_LANG": lang,
                "TIMEZONE": "Europe/Zurich",
                "DEFAULT_PAGINATION": PER_PAGE,
                "PAGE_PATHS": ["pages"],
                "ARTICLE_PATHS": ["offers"],
                "PATH_METADATA": r"pages/(?P<path_no_ext>.*)\..*",
                "PAGE_URL": "{path_no_ext}/",
                "PAGE_SAVE_AS": "{path_no_ext}/index.html",
                "ARTICLE_URL": f"{OFFER_SECTION}/{{slug}}/",
                "ARTICLE_SAVE_AS": f"{OFFER_SECTION}/{{slug}}/index.html",
                "INDEX_SAVE_AS": f"{OFFER_SECTION}/index.html",
                "CATEGORY_URL": f"{OFFER_SECTION}/kind/{{slug}}/",
                "CATEGORY_SAVE_AS": f"{OFFER_SECTION}/kind/{{slug}}/index.html",
                "TAG_URL": f"{OFFER_SECTION}/region/{{slug}}/",
                "TAG_SAVE_AS": f"{OFFER_SECTION}/region/{{slug}}/index.html",
                "PAGINATION_PATTERNS": [
                    (1, "{url}", "{save_as}"),
                    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
                ],
                # sitegen writes no feeds, author pages or archives.
                "FEED_ALL_ATOM": None,
                "CATEGORY_FEED_ATOM": None,
                "TRANSLATION_FEED_ATOM": None,
                "AUTHOR_FEED_ATOM": None,
                "AUTHOR_FEED_RSS": None,
                "AUTHOR_SAVE_AS": "",
                "AUTHORS_SAVE_AS": "",
                "ARCHIVES_SAVE_AS": "",
                "YEAR_ARCHIVE_SAVE_AS": "",
                "MONTH_ARCHIVE_SAVE_AS": "",
                "DISPLAY_PAGES_ON_MENU": False,
                "DISPLAY_CATEGORIES_ON_MENU": True,
                "MARKDOWN": {
                    "extension_configs": {
                        "markdown.extensions.extra": {},
                        "markdown.extensions.meta": {},
                        "markdown.extensions.toc": {},
                    },
                    "output_format": "html5",
                },
                "CACHE_CONTENT": False,
                "LOAD_CONTENT_CACHE": False,
                "DELETE_OUTPUT_DIRECTORY": False,
            },
        )
        Pelican(settings).run()
    return 0


# -- MkDocs ----------------------------------------------------------------------------------------


def write_mkdocs(corpus: Corpus, dest: Path, today: dt.date) -> None:
    root = dest / "mkdocs"
    shutil.rmtree(root, ignore_errors=True)
    _write(root / "languages.json", json.dumps(corpus.languages))
    offers = [offer for offer in corpus.offers if published(offer, today)]
    for lang in corpus.languages:
        words = labels(lang)
        config = {
            "site_name": corpus.title[lang],
            "site_url": f"https://bench.example.ch/{lang}/",
            "docs_dir": "docs",
            "theme": {"name": "mkdocs", "locale": lang},
            "plugins": [{"search": {"lang": lang if lang in ("fr", "de", "en") else "en"}}],
            "markdown_extensions": ["tables", "toc"],
        }
        _write(
            root / lang / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        )
        docs = root / lang / "docs"
        for page in corpus.pages[lang]:
            meta = {
                key: _iso(value) if key == "updated" else value for key, value in page.meta.items()
            }
            _write(
                docs / page.rel, _yaml_front(meta, page.body)
            )  # MkDocs reads YAML front matter and .md links as they are
        for offer in offers:
            _write(
                docs / OFFER_SECTION / f"{offer['id']}.md",
                _yaml_front(
                    {"title": corpus.text(offer.get("title"), lang)},
                    f"# {corpus.text(offer.get('title'), lang)}\n\n"
                    f"{corpus.text(offer.get('summary'), lang)}\n\n"
                    + offer_body(corpus, offer, lang),
                ),
            )

        def listing(title: str, chosen: list[dict[str, Any]], depth: int, lang: str = lang) -> str:
            up = "../" * depth
            return f"# {title}\n\n" + "".join(
                f"- [{corpus.text(o.get('title'), lang)}]({up}{o['id']}.md): "
                f"{corpus.text(o.get('summary'), lang)}\n"
                for o in chosen
            )

        facets = [
            f"- [{corpus.term(facet, term_id, lang)}]({facet}/{term_id}.md)\n"
            for facet in ("kinds", "regions")
            for term_id in corpus.terms[facet]
        ]
        _write(
            docs / OFFER_SECTION / "index.md",
            listing(words["all_offers"], offers, 0) + "\n" + "".join(facets),
        )
        for facet, key in (("kinds", "kind"), ("regions", "region")):
            for term_id in corpus.terms[facet]:
                _write(
                    docs / OFFER_SECTION / facet / f"{term_id}.md",
                    listing(
                        corpus.term(facet, term_id, lang),
                        [o for o in offers if o[key] == term_id],
                        1,
                    ),
                )


ADAPTERS: dict[str, Callable[[Corpus, Path, dt.date], None]] = {
    "hugo": write_hugo,
    "pelican": write_pelican,
    "mkdocs": write_mkdocs,
}


def versions() -> dict[str, str]:
    """Versions of the peers installed here, or 'missing'."""
    found: dict[str, str] = {}
    probes = {
        "hugo": ["hugo", "version"],
        "pelican": [sys.executable, "-m", "pelican", "--version"],
        "mkdocs": [sys.executable, "-m", "mkdocs", "--version"],
        "pagefind": [sys.executable, "-m", "pagefind", "--version"],
    }
    for name, command in probes.items():
        try:
            text = subprocess.run(
                command, capture_output=True, text=True, timeout=60
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            text = ""
        match = re.search(r"v?(\d+\.\d+(?:\.\d+)?)", text)
        found[name] = match.group(1) if match else "missing"
    return found


INSTALL = {
    "hugo": "apt-get update && apt-get install -y hugo",
    "pelican": "pip install pelican",
    "mkdocs": "pip install mkdocs",
    "pagefind": "pip install 'pagefind[extended]'",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    convert = sub.add_parser("convert", help="write the peers' sites for a corpus")
    convert.add_argument("site", type=Path)
    convert.add_argument("dest", type=Path)
    convert.add_argument("--peers", default=",".join(ADAPTERS))
    convert.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 10, 1))
    pelican = sub.add_parser(
        "pelican-build", help="build a converted Pelican site, every language in this process"
    )
    pelican.add_argument("root", type=Path)
    pelican.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "pelican-build":
        return run_pelican(args.root, args.out)
    corpus = read_corpus(args.site)
    for name in args.peers.split(","):
        ADAPTERS[name](corpus, args.dest, args.today)
    return 0


if __name__ == "__main__":
    sys.exit(main())
