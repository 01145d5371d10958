"""A collapsible view of a state snapshot (any JSON value)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import Tree

from widgets.text import literal, safe_text

__all__ = ["NO_SNAPSHOT", "SnapshotTree"]

NO_SNAPSHOT = "no snapshot saved"
KEY_LIMIT = 60
VALUE_LIMIT = 120
"""Characters of a string value shown before "…": a leaf is one line."""
MAX_CHILDREN = 500
"""Children shown per node; the rest are summarised, so an 8 MB snapshot stays responsive."""


@dataclass
class _Node:
    """What a tree node holds: the JSON value, and whether its children were built yet."""

    value: Any
    loaded: bool = False


class SnapshotTree(Tree[Any]):
    """Dict keys and list indexes as branches, scalars as "key: value" leaves.

    Children are built when a branch is first expanded, not up front: a
    snapshot may hold thousands of nested values, and only what the game
    master opens is ever turned into nodes.
    """

    DEFAULT_CSS = """
    SnapshotTree {
        height: 1fr;
    }
    """

    def __init__(
        self,
        label: str = "state",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            Text(NO_SNAPSHOT, style="dim"), name=name, id=id, classes=classes, disabled=disabled
        )
        self._label = label

    def process_label(self, label: str | Text) -> Text:
        """Labels are never parsed as markup, whoever passes them."""
        if isinstance(label, Text):
            return label
        return Text(safe_text(label), end="")

    def show(self, data: Any, *, label: str = "state") -> None:
        """Replace the tree with `data`; None means no snapshot was ever saved."""
        self._label = label
        if data is None:
            self.reset(Text(NO_SNAPSHOT, style="dim italic"))
            self.root.allow_expand = False
            return
        if not isinstance(data, dict | list):
            self.reset(_leaf_label(label, data))
            self.root.allow_expand = False
            return
        self.reset(_branch_label(label, data), _Node(data))
        self._load(self.root)
        self.root.expand()
        for child in self.root.children:
            if isinstance(child.data, _Node):
                self._load(child)
                child.expand()

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Any]) -> None:
        if event.node.tree is self and isinstance(event.node.data, _Node):
            self._load(event.node)

    def _load(self, node: Any) -> None:
        """Build `node`'s children once (lazily, on first expansion)."""
        payload = node.data
        if not isinstance(payload, _Node) or payload.loaded:
            return
        payload.loaded = True
        value = payload.value
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for count, (key, child) in enumerate(items):
            if count == MAX_CHILDREN:
                node.add_leaf(Text(f"… {len(value) - MAX_CHILDREN} more", style="dim", end=""))
                break
            name = f"[{key}]" if isinstance(value, list) else key
            if isinstance(child, dict | list) and child:
                node.add(_branch_label(name, child), _Node(child))
            else:
                node.add_leaf(_leaf_label(name, child))


def _key_text(key: Any) -> Text:
    return literal(key if isinstance(key, str) else str(key), "bold", limit=KEY_LIMIT)


def _branch_label(key: Any, value: dict[Any, Any] | list[Any]) -> Text:
    """ "players {3 keys}" / "monsters [5 items]": the size tells what is inside."""
    text = _key_text(key)
    count = len(value)
    if isinstance(value, dict):
        text.append(f" {{{count} {'key' if count == 1 else 'keys'}}}", style="dim")
    else:
        text.append(f" [{count} {'item' if count == 1 else 'items'}]", style="dim")
    return text


def _leaf_label(key: Any, value: Any) -> Text:
    """ "hp: 12", "name: \"Bree\"", "notes: null": JSON spelling, shown literally."""
    text = _key_text(key)
    text.append(": ")
    text.append_text(_value_text(value))
    return text


def _value_text(value: Any) -> Text:
    if value is None:
        return Text("null", style="italic magenta", end="")
    if isinstance(value, bool):
        return Text("true" if value else "false", style="italic magenta", end="")
    if isinstance(value, int | float):
        return Text(repr(value), style="cyan", end="")
    if isinstance(value, str):
        shown = literal(value, "green", limit=VALUE_LIMIT)
        return Text.assemble(('"', "green"), shown, ('"', "green"))
    if isinstance(value, dict):
        return Text("{}", style="dim", end="")
    if isinstance(value, list):
        return Text("[]", style="dim", end="")
    return literal(repr(value), "dim", limit=VALUE_LIMIT)
