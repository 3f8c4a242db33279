"""The generator's run as the CLI and the MkDocs hook share it."""
from __future__ import annotations

import gc

from generator.pipeline import gc_paused


def test_the_collector_is_paused_only_while_the_generator_runs():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled(), "MkDocs would build every page without a cycle collector"
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled(), "a caller that had turned it off keeps it off"
    finally:
        gc.enable()
