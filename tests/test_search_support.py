"""Helpers for the search tests.

Run assets/search.js (joined by sitegen/assets.py) under node (no tests here).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from sitegen.assets import source

ENGINE = source("search.js").decode(
    "utf-8"
)  # the readable script, joined from sitegen/static/search/
NODE = shutil.which("node")

# Reads {"script": ..., "input": ...} on stdin; the script sees `engine`, `input`,
# `loadIndex(dir, lang)` and returns (or resolves to) JSON-able output.
_RUNNER = r"""
const fs = require("fs"), path = require("path"), vm = require("vm");
let engine;
function loader(dir) {
  return (name) => new Promise((resolve, reject) => {
    const file = path.join(dir, "assets", "search", name + ".js");
    let got;
    try { vm.runInNewContext(fs.readFileSync(file, "utf8"), { sgSearch: (n, d) => { got = d; } }); }
    catch (e) { reject(e); return; }
    resolve(got);
  });
}
async function loadIndex(dir, lang) { return new engine.Index(await loader(dir)(lang + "/core")); }
let raw = "";
process.stdin.on("data", (d) => { raw += d; });
process.stdin.on("end", async () => {
  const { script, input, source } = JSON.parse(raw), mod = { exports: {} };
  vm.runInThisContext("(function (module) {" + source + "\n})", { filename: "search.js" })(mod);
  engine = mod.exports;
  const fn = new Function("engine", "input", "loader", "loadIndex", "return (async () => {" + script + "})();");
  const out = await fn(engine, input, loader, loadIndex);
  process.stdout.write(JSON.stringify(out));
});
"""  # noqa: E501 - JavaScript in a raw string (a backslash-newline would be kept)


def run_node(script: str, data: object) -> object:
    """Run `script` (body of an async function) in node with the engine loaded."""
    assert NODE, "node is not installed"
    proc = subprocess.run(
        [NODE, "-e", _RUNNER],
        input=json.dumps({"script": script, "input": data, "source": ENGINE}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(proc.stderr)
    return json.loads(proc.stdout)


def write_index(out: Path, files: object) -> None:
    """Write (path, bytes) pairs from build_search_files under `out`."""
    for path, data in files:  # type: ignore[attr-defined]
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def search(
    out: Path, lang: str, queries: list[str], filters: dict[str, list[str]] | None = None
) -> list[dict[str, object]]:
    """Run queries against the index in `out` through the real engine.

    hits' urls, counts, clauses.
    """
    script = """
      const index = await loadIndex(input.dir, input.lang), load = loader(input.dir), out = [];
      for (const q of input.queries) {
        const r = await engine.query(index, q, input.filters, load);
        const docs = await engine.documents(index, r.hits, load);
        out.push({ urls: docs.map(d => d.url), langs: docs.map(d => d.lang), total: r.total, \
counts: r.counts,
                   partial: !!(r.prepared && (r.prepared.partial || r.prepared.missing)) });
      }
      return out;
    """
    return run_node(
        script, {"dir": str(out), "lang": lang, "queries": queries, "filters": filters or {}}
    )  # type: ignore[return-value]
