"""Reusable, passive widgets for the dashboard.

Each widget receives plain data (store result models or small dataclasses)
through a method, updates itself in place and posts messages up; none of them
can reach the database. Every piece of user text is shown literally through
widgets.text. Import each from its module (widgets.rooms_table, ...): the
package imports nothing itself, so the rooms screen starts without loading
the room screen's widgets.
"""
