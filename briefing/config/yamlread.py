"""Read YAML into plain data plus the line of every key, without YAML's traps.

PyYAML's resolver turns `NO` into False, `7:30` into 450 and `010` into 8, keeps the last of
duplicate keys silently, and will build arbitrary objects from tags. Here every scalar stays the
string the user wrote (the typed config schema converts it), duplicate keys and foreign tags are
problems, and alias expansion is bounded so an alias bomb cannot exhaust memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

KeyPath = tuple[str | int, ...]  # keys and list indexes from the top: ("sources", 0, "url")

_NULLS = {"", "~", "null", "Null", "NULL"}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}
MAX_NODES = 100_000
MAX_DEPTH = 64


@dataclass
class YamlDocument:
    """The data, the 1-based line of each key path, and problems found while reading."""

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    problems: list[tuple[KeyPath, int, str]] = field(default_factory=list)
    fatal: bool = False  # reading stopped (a bomb): the data is not what the file says

    def line_of(self, path: KeyPath) -> int:
        """The line of the deepest part of `path` that exists in the file."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(text: str) -> YamlDocument:
    """Parse one YAML document; raise YamlSyntaxError naming the line if it is not YAML."""
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, f"YAML syntax error: {exc}") from None
    doc = YamlDocument(data=None)
    if node is None:
        doc.data = {}
        return doc
    doc.lines[()] = node.start_mark.line + 1
    builder = _Builder(doc)
    try:
        doc.data = builder.build(node, (), 0)
    except _TooBig as exc:
        doc.problems.append(((), exc.line, str(exc)))
        doc.data, doc.fatal = {}, True
    return doc


def _compose(text: str) -> yaml.Node | None:
    """The document's node graph, read by libyaml where PyYAML has it (a desk's config of many
    sources reads 10x faster: `briefing collect` waits for it before parsing anything). A
    document libyaml refuses is read again in Python, whose messages say more; where Python
    cannot read it either (nesting too deep for its recursion), libyaml's error stands."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=fast)
    except yaml.YAMLError as exc:
        try:
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except RecursionError:
            raise exc from None


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> YamlSyntaxError:
    """The line to fix and what is wrong there. A `[`, `{` or quote left open is noticed only
    where the next construct begins, often many lines on: then the line is where it opened,
    and the message says where the parser gave up."""
    problem = exc.problem or exc.context or "invalid YAML"
    found = exc.problem_mark or exc.context_mark
    if found is None:
        return YamlSyntaxError(1, f"YAML syntax error: {problem}")
    line = found.line + 1
    opened: tuple[int, str] | None = None
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        opened = (exc.context_mark.line + 1, "the quoted text that starts here")
    else:
        bracket = _open_bracket(text, found.index)
        if bracket is not None:
            opened = (bracket[0], f"the '{bracket[1]}' opened here")
    if opened is None or opened[0] == line:
        return YamlSyntaxError(line, f"YAML syntax error: {problem}")
    start, what = opened
    return YamlSyntaxError(start, f"YAML syntax error: in {what}: {problem} (line {line})")


def _open_bracket(text: str, before: int) -> tuple[int, str] | None:
    """The line and character of the innermost `[` or `{` still open at offset `before`."""
    stack: list[tuple[int, str]] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= before:
                break
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                kind = "[" if isinstance(token, yaml.FlowSequenceStartToken) else "{"
                stack.append((token.start_mark.line + 1, kind))
            elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and stack:
                stack.pop()
    except yaml.YAMLError:
        pass
    return stack[-1] if stack else None


class _TooBig(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _Builder:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.count = 0

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_NODES:
            raise _TooBig(line, f"the file expands to more than {MAX_NODES} values (alias bomb?)")
        if depth > MAX_DEPTH:
            raise _TooBig(line, f"values nested deeper than {MAX_DEPTH} levels")
        if node.tag not in _STANDARD_TAGS:
            self.doc.problems.append((path, line, f"YAML tag '{node.tag}' is not allowed"))
            return None
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.value in _NULLS:  # plain: None in Python, "" in libyaml
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            out = []
            for index, child in enumerate(node.value):
                self.doc.lines.setdefault((*path, index), child.start_mark.line + 1)
                out.append(self.build(child, (*path, index), depth + 1))
            return out
        assert isinstance(node, yaml.MappingNode)  # the three kinds of YAML node
        return self._mapping(node, path, depth)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._merge(out, value_node, path, depth)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.doc.problems.append((path, key_line, "keys must be plain strings"))
                continue
            key = key_node.value
            if key in first_seen:
                self.doc.problems.append(
                    ((*path, key), key_line, f"duplicate key (first at line {first_seen[key]})")
                )
                continue
            first_seen[key] = key_line
            self.doc.lines[(*path, key)] = key_line
            value = self.build(value_node, (*path, key), depth + 1)
            if value is not None:  # an empty value means "use the default"
                out[key] = value
        return out

    def _merge(self, out: dict[str, Any], node: yaml.Node, path: KeyPath, depth: int) -> None:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            merged = self.build(source, path, depth + 1)
            if not isinstance(merged, dict):
                line = source.start_mark.line + 1
                self.doc.problems.append((path, line, "'<<' must merge a mapping"))
                continue
            for key, value in merged.items():
                out.setdefault(key, value)
