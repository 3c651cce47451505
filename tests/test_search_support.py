"""Helpers for the search tests: run sitegen/static/search.js under node (no tests here)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "sitegen" / "static" / "search.js"
NODE = shutil.which("node")

# Reads {"script": ..., "input": ...} on stdin; the script sees `engine`, `input`,
# `loadIndex(dir, lang)` and returns (or resolves to) JSON-able output.
_RUNNER = r"""
const fs = require("fs"), path = require("path"), vm = require("vm");
const engine = require(process.argv[1]);
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
  const { script, input } = JSON.parse(raw);
  const fn = new Function("engine", "input", "loader", "loadIndex", "return (async () => {" + script + "})();");
  const out = await fn(engine, input, loader, loadIndex);
  process.stdout.write(JSON.stringify(out));
});
"""


def run_node(script: str, data: object) -> object:
    """Run `script` (body of an async function) in node with the engine loaded."""
    assert NODE, "node is not installed"
    proc = subprocess.run(
        [NODE, "-e", _RUNNER, str(ENGINE)],
        input=json.dumps({"script": script, "input": data}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(proc.stderr)
    return json.loads(proc.stdout)
