"""A big catalog parsed and rendered on two processes gives what one process gives, byte for
byte; a child that dies costs time, never a page; a threaded process (mkdocs serve) uses one."""
from __future__ import annotations

import datetime as dt
import os
import threading

import pytest

from generator import render, scale, two_cores, yamlfile
from generator.paths import CATALOG_DIR

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def big(monkeypatch):
    monkeypatch.setattr(scale, "SPLIT_AT", 5)  # the real catalog plays a big one


@pytest.fixture
def forks(monkeypatch):
    """Count forks in this process, and allow them however many CPUs and threads there are."""
    count = []
    real_fork = os.fork

    def counting_fork():
        pid = real_fork()
        if pid:
            count.append(pid)
        return pid

    monkeypatch.setattr(two_cores.os, "fork", counting_fork)
    monkeypatch.setattr(two_cores, "available", lambda errors: errors > scale.SPLIT_AT)
    return count


def serial(catalog) -> dict[str, str]:
    r = render.Renderer(catalog, TODAY)
    return render._build(r, render.BUILDERS)


def test_two_processes_render_exactly_what_one_does(catalog, big, forks):
    files = render.render(catalog, today=TODAY)
    assert len(forks) == 1, "the render did not fork"
    expected = serial(catalog)
    assert list(files) == list(expected)  # same files, same order
    assert files == expected


def test_a_child_that_dies_is_replaced_by_the_parent(catalog, big, forks, monkeypatch):
    def broken_dump(*args, **kwargs):  # runs only in the child: it exits without sending anything
        raise OSError("pipe broke")

    monkeypatch.setattr(two_cores.pickle, "dump", broken_dump)
    files = render.render(catalog, today=TODAY)
    assert len(forks) == 1
    assert files == serial(catalog)


def test_an_error_in_the_parent_still_reaps_the_child(catalog, big, forks):
    with pytest.raises(RuntimeError, match="parent failed"):
        two_cores.split(lambda: {"a": "1"}, _raise)
    (pid,) = forks
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind


def _raise():
    raise RuntimeError("parent failed")


def test_a_threaded_process_or_a_small_catalog_renders_in_one_process(monkeypatch):
    monkeypatch.setattr(two_cores.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(two_cores.sys, "platform", "linux")
    assert two_cores.available(scale.SPLIT_AT + 1) is (threading.active_count() == 1)
    assert not two_cores.available(scale.SPLIT_AT)
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait, daemon=True)  # like mkdocs serve's file watcher
    watcher.start()
    try:
        assert not two_cores.available(scale.SPLIT_AT + 1)
    finally:
        stop.set()
        watcher.join()
    monkeypatch.setattr(two_cores.os, "cpu_count", lambda: 1)
    assert not two_cores.available(scale.SPLIT_AT + 1)


def test_two_processes_parse_the_error_files_as_one_does(forks, big):
    paths = sorted((CATALOG_DIR / "errors").glob("*.yaml"))
    split = yamlfile.load_many(paths)
    assert len(forks) == 1, "the load did not fork"
    one = [yamlfile.load(p) for p in paths]
    assert [(d.path, d.data, f) for d, f in split] == [(d.path, d.data, f) for d, f in one]
    doc = split[-1][0]
    assert doc.line_of(("cases", 0, "steps")) == one[-1][0].line_of(("cases", 0, "steps")) > 1

