"""The site's optional synonyms.yaml.

Language code -> groups of words and phrases a search treats as one (issue 3).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from sitegen.errors import Diagnostic, error, warning
from sitegen.search.text import distinct, normalize, tokenize
from sitegen.textfiles import read_text

SYNONYMS_FILE = "synonyms.yaml"
_LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def load_synonyms(site_dir: Path) -> tuple[dict[str, list[list[str]]], list[Diagnostic]]:
    """Read the optional synonyms.yaml: language code -> list of groups of equivalent phrases."""
    path = site_dir / SYNONYMS_FILE
    if not path.is_file():
        return {}, []
    diags: list[Diagnostic] = []
    fix = "write `fr:` then lines like `- [cours d'allemand, Deutschkurs]`; see docs/search.md"
    text, problems = read_text(site_dir, path, SYNONYMS_FILE)
    if text is None:
        return {}, problems
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        return {}, [
            error(
                SYNONYMS_FILE, line, f"synonyms.yaml is not valid YAML: {exc}".splitlines()[0], fix
            )
        ]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [
            error(
                SYNONYMS_FILE,
                root.start_mark.line + 1,
                "synonyms.yaml must map language codes to lists of groups",
                fix,
            )
        ]
    result: dict[str, list[list[str]]] = {}
    for key_node, groups_node in root.value:
        line = key_node.start_mark.line + 1
        lang = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if not _LANG_CODE.match(lang):
            diags.append(
                error(
                    SYNONYMS_FILE,
                    line,
                    f"`{lang}` is not a language code",
                    "use a code from site.yaml's languages, like `fr`",
                )
            )
            continue
        if lang in result:
            diags.append(
                error(
                    SYNONYMS_FILE,
                    line,
                    f"language `{lang}` appears twice",
                    "merge its groups under one key",
                )
            )
            continue
        if not isinstance(groups_node, yaml.SequenceNode):
            diags.append(
                error(
                    SYNONYMS_FILE,
                    groups_node.start_mark.line + 1,
                    f"`{lang}` must hold a list of groups",
                    fix,
                )
            )
            continue
        groups: list[list[str]] = []
        for group_node in groups_node.value:
            gline = group_node.start_mark.line + 1
            if isinstance(group_node, yaml.ScalarNode):
                diags.append(
                    error(
                        SYNONYMS_FILE,
                        gline,
                        "a synonym group must be a list of words or phrases",
                        f"write each group of `{lang}` on its own line: `- [word, other word]`",
                    )
                )
                break
            if not isinstance(group_node, yaml.SequenceNode) or not all(
                isinstance(m, yaml.ScalarNode) for m in group_node.value
            ):
                diags.append(
                    error(
                        SYNONYMS_FILE,
                        gline,
                        "a synonym group must be a list of words or phrases",
                        "write it as `- [word, other word, a phrase]`",
                    )
                )
                continue
            members = [str(m.value).strip() for m in group_node.value]
            kept = [m for m in members if tokenize(normalize(m))]
            if len(kept) < len(members):
                diags.append(
                    warning(
                        SYNONYMS_FILE,
                        gline,
                        "a member of this group has no word in it and is ignored",
                        "remove the empty or punctuation-only member",
                    )
                )
            if len(distinct(normalize(m) for m in kept)) < 2:
                diags.append(
                    error(
                        SYNONYMS_FILE,
                        gline,
                        "a synonym group needs at least two different words or phrases",
                        "add the equivalent words, or remove the group",
                    )
                )
                continue
            groups.append(kept)
        result[lang] = groups
    return result, diags
