"""SnapshotTree: any JSON value as a collapsible tree, built lazily, shown literally."""

from __future__ import annotations

from typing import Any

from widgets.snapshot_tree import MAX_CHILDREN, NO_SNAPSHOT, SnapshotTree

from .harness import HOSTILE, SIZE, WidgetApp, strip_is_inert

STATE = {
    "map": "forest road",
    "hp": {"bree": 12, "goblins": [7, None, {"id": "gob-3", "hp": 0}]},
    "flags": [True, False],
    "round": 2,
    "empty": {},
}


def labels(node: Any) -> list[str]:
    return [child.label.plain for child in node.children]


async def visible_lines(tree: SnapshotTree, pilot: Any) -> list[str]:
    await pilot.pause()
    return [tree.render_line(y).text.rstrip() for y in range(tree.last_line + 1)]


async def test_root_and_first_level_expanded_deeper_levels_lazy() -> None:
    tree = SnapshotTree()
    async with WidgetApp(tree).run_test(size=SIZE) as pilot:
        tree.show(STATE)
        root = tree.root
        assert root.is_expanded
        assert root.label.plain == "state {5 keys}"
        assert labels(root) == [
            'map: "forest road"',
            "hp {2 keys}",
            "flags [2 items]",
            "round: 2",
            "empty: {}",
        ]
        hp = root.children[1]
        assert hp.is_expanded
        assert labels(hp) == ["bree: 12", "goblins [3 items]"]
        goblins = hp.children[1]
        assert not goblins.is_expanded
        assert labels(goblins) == []  # not built until opened

        goblins.expand()
        await pilot.pause()
        assert labels(goblins) == ["[0]: 7", "[1]: null", "[2] {2 keys}"]
        assert labels(root.children[2]) == ["[0]: true", "[1]: false"]
        assert "├── bree: 12" in "\n".join(await visible_lines(tree, pilot))


async def test_no_snapshot_and_scalars() -> None:
    tree = SnapshotTree()
    async with WidgetApp(tree).run_test(size=SIZE):
        tree.show(None)
        assert tree.root.label.plain == NO_SNAPSHOT
        assert not tree.root.children
        tree.show("just text", label="note")
        assert tree.root.label.plain == 'note: "just text"'
        tree.show([], label="list")
        assert tree.root.label.plain == "list [0 items]"


async def test_long_values_and_wide_nodes_are_cut() -> None:
    tree = SnapshotTree()
    async with WidgetApp(tree).run_test(size=SIZE):
        tree.show({"story": "x" * 5000, "many": list(range(MAX_CHILDREN + 25))})
        story = tree.root.children[0].label.plain
        assert story.endswith('…"') and len(story) < 200
        many = tree.root.children[1]
        assert len(many.children) == MAX_CHILDREN + 1
        assert many.children[-1].label.plain == "… 25 more"


async def test_hostile_keys_and_values_are_literal() -> None:
    tree = SnapshotTree()
    app = WidgetApp(tree)
    async with app.run_test(size=SIZE) as pilot:
        tree.show({name: name for name in HOSTILE}, label="[b]state")
        lines = await visible_lines(tree, pilot)
        assert lines[0].endswith("[b]state {4 keys}")
        assert labels(tree.root) == [
            '[bold]x[/bold]: "[bold]x[/bold]"',
            '[@click=app.quit]x[/]: "[@click=app.quit]x[/]"',
            '[link=http://x]y[/link]: "[link=http://x]y[/link]"',
            '\\x1b[31mred: "\\x1b[31mred"',
        ]
        assert all(strip_is_inert(tree.render_line(y)) for y in range(5))
        await pilot.click(SnapshotTree, offset=(8, 2))
        await pilot.pause()
        assert app.is_running
