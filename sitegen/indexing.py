"""The search stage: each language's index, rebuilt only when a page or offer of it
changed, from the analysis the last run kept (serve's memo, or the cache's file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache, parallel
from .rendering import SiteModel
from .write import Writer

if TYPE_CHECKING:
    from .search.postings import SearchMemo


class SearchIndex:
    """The search stage: each language's index, rebuilt only when a page or offer of it changed."""

    def __init__(
        self,
        made: SiteModel,
        state: cache.State,
        memo: SearchMemo | None,
        store: Path | None = None,
    ):
        """`store`: the site whose cache keeps each language's analysis between runs (the
        command line's stand-in for serve's `memo`): an edit re-analyses only what it changed."""
        self.made, self.state, self.memo, self.store = made, state, memo, store

    def _docs(self, lang: str) -> list[Any]:
        from .search.documents import search_docs

        return search_docs(
            self.made.site, self.made.contents, self.made.renderer.localizers[lang], self.memo
        )

    def _files(self, lang: str, docs: list[Any]) -> list[tuple[str, bytes]]:
        from .search.index import build_search_files

        made, memo = self.made, self.memo
        if memo is None and self.store is not None:
            from .search.postings import SearchMemo

            memo = SearchMemo()
            memo.adopt(lang, cache.load_search_tree(self.store, lang))
        # The other languages' indexes are loaded lazily by the engine; only their codes are needed
        # here.
        others = {code: () for code in made.site.config.languages if code != lang}
        files = list(
            build_search_files(
                lang, docs, others, made.renderer.facet_labels(lang), made.synonyms, memo
            )
        )
        if memo is not self.memo and self.store is not None:
            cache.save_search_tree(self.store, lang, memo.tree(lang))
        return files

    def _fingerprint(self, lang: str) -> str:
        """What the language's documents are made of, without making them (a third of the
        cost): each page's address, language and front matter with the digest of its
        converted body (its text and headings come from that HTML), every offer, each offer
        description's digest; catalogs, site.yaml and sitegen's code are in the global part."""
        made = self.made
        site, contents = made.site, made.contents
        pages = []
        for key in site.keys:
            page = site.page(lang, key)
            if page is not None:
                body = contents.pages[(lang, key)].digest
                pages.append((key, page.url, page.source.lang, page.meta, body))
        descriptions = []
        for offer in site.offers:
            description = contents.descriptions.get((lang, offer.id))
            descriptions.append(description.digest if description is not None else "")
        offers = made.renderer.offers_digest()
        inputs = (made.synonyms.get(lang), site.offers_url(lang), pages, offers, descriptions)
        return cache.fingerprint(made.global_part, ("search", inputs))

    def write(self, reuse: cache.Reuse, writer: Writer, defer: bool = False) -> list[str]:
        """Into a build's writer. Deferred, the languages to rebuild keep their previous files
        and are returned, for update() to write later (their fingerprints are only recorded then).
        """
        state, fingerprints = self.state, reuse.fingerprints
        pending, due = [], []
        for lang in self.made.renderer.localizers:
            previous = state.search_files.get(lang, [])
            if defer and previous and writer.keep_all(previous):
                # Even finding out whether the index changed costs more than the edited page.
                fingerprints[f"search:{lang}"] = state.fingerprints.get(f"search:{lang}", "")
                pending.append(lang)
            else:
                due.append(lang)

        def index(lang: str) -> tuple[str, list[tuple[str, bytes]] | None]:
            """The language's fingerprint and files, or None when the last build's may be kept."""
            print_ = self._fingerprint(lang)
            if state.fingerprints.get(f"search:{lang}") == print_ and state.search_files.get(lang):
                return print_, None
            return print_, self._files(lang, self._docs(lang))

        # The languages' indexes are independent: on a large site this process builds some while
        # a forked worker builds the others (each costs ~25 MB of working memory at N = 1,000).
        # A memo must stay in this process, and serve's threads forbid forking anyway. With an
        # analysis kept for every language, a language costs little more than the fork (0.07 s
        # at N = 1,000, measured).
        store = self.store
        kept = store is not None and all(cache.has_search_tree(store, code) for code in due)
        minimum = parallel.SEARCH_FORK_MIN if self.memo is None and not kept else parallel.NEVER
        for lang, (print_, files) in zip(
            due,
            parallel.fork_map(index, due, minimum, weight=len(self.made.site.pages)),
            strict=True,
        ):
            fingerprints[f"search:{lang}"] = print_
            if files is None:
                if writer.keep_all(state.search_files[lang]):
                    continue
                files = self._files(lang, self._docs(lang))
            for path, data in files:
                writer.write(path, data)
            state.search_files[lang] = [path for path, _ in files]
        return pending

    def update(self, writer: Writer, languages: list[str]) -> list[str]:
        """Bring the index of `languages` up to date with an in-place writer, outside a build;
        returns the files written or removed.

        The files are compared with the last ones, and only those that changed are written.
        """
        state = self.state
        for lang in languages:
            print_ = self._fingerprint(lang)
            if state.fingerprints.get(f"search:{lang}") == print_:
                continue
            old = set(state.search_files.get(lang, []))
            files = []
            for path, data in self._files(lang, self._docs(lang)):
                files.append(path)
                writer.write_if_changed(
                    path, data
                )  # an edit changes a few of the index's chunks: browsers keep the others cached
            writer.remove(old - set(files))
            state.search_files[lang] = files
            state.fingerprints[f"search:{lang}"] = print_
            state.outputs = sorted((set(state.outputs) - old) | set(files))
        return writer.changed
