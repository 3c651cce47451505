"""The site search (issue 3): built at build time, run in the browser.

The browser runs the script joined from sitegen/static/search/.

- documents.py: what each page and offer contributes (model + converted Markdown -> SearchDoc);
- synonyms.py: the site's synonyms.yaml;
- text.py: normalising, tokenising, stemming and compound splitting, mirrored in search.js;
- postings.py: terms and postings, their encodings, and SearchMemo (what a rebuild reuses);
- index.py: the files written under assets/search/<lang>/.
docs/search.md describes the format.
"""
