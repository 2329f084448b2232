#!/usr/bin/env python3
"""Sorts and deduplicates the word lists of the rule pack in place.

Every `key = [ "…", … ]` array made only of strings (class words, rule
literals, conditions) is rewritten sorted, without duplicates, wrapped at
110 columns. Arrays holding tables (regexes) or comments, `bad`/`good`
examples and `anchors` are left as written. tests/rule_examples.rs checks
that the pack stays tidy; run this after editing a list:

    python3 scripts/tidy-rules.py rules
"""
import re
import sys
from pathlib import Path

KEEP_ORDER = {"bad", "good", "anchors", "voice", "blocks"}
ARRAY = re.compile(r'^(?P<indent>[ \t]*)(?P<key>[A-Za-z_][A-Za-z0-9_-]*) = \[(?P<body>[^\[\]]*?)\]', re.M | re.S)
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def tidy_array(m):
    key, body, indent = m.group("key"), m.group("body"), m.group("indent")
    if key in KEEP_ORDER or "#" in body or "{" in body or "'" in body:
        return m.group(0)
    rest = STRING.sub("", body).replace(",", "").strip()
    if rest:
        return m.group(0)
    words = STRING.findall(body)
    if not words:
        return m.group(0)
    unique = sorted(set(words))
    one_line = f'{indent}{key} = [' + ", ".join(f'"{w}"' for w in unique) + "]"
    if len(one_line) <= 110 and "\n" not in body:
        return one_line
    lines, line = [], indent + "  "
    for w in unique:
        item = f'"{w}", '
        if len(line) + len(item) > 110 and line.strip():
            lines.append(line.rstrip())
            line = indent + "  "
        line += item
    if line.strip():
        lines.append(line.rstrip())
    return f"{indent}{key} = [\n" + "\n".join(lines) + f"\n{indent}]"


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "rules")
    for path in sorted(root.rglob("*.toml")):
        text = path.read_text(encoding="utf-8")
        tidy = ARRAY.sub(tidy_array, text)
        if tidy != text:
            path.write_text(tidy, encoding="utf-8")
            print(f"tidied {path}")


if __name__ == "__main__":
    main()
