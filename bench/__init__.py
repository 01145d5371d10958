"""liveroom's benchmark suite: the scale figures of issue 4, each beside a baseline.

Run it as ``python -m bench`` (``make bench``); ``--quick`` for a smoke run.
The data is generated here, in a temporary directory, and removed afterwards.
"""
