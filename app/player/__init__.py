"""The players' view: a read-only screen of one room, in a terminal or in a browser.

- app/player/app.py: PlayerApp and make_player_app, the factory the command line and
  the tests use
- app/player/screen.py: the one screen, following the store live
- app/player/view.py: what players may see, as data and Rich text (and what they may not)
- app/player/source.py: the read-only store, and which room a ROOM_ID names
- app/player/serve.py: `liveroom serve`, the same view in browsers through textual-serve
"""
