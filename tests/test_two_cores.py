"""A big catalog parsed and rendered on two processes gives what one process gives, byte for
byte; a child that dies costs time, never a page; a threaded process (mkdocs serve) uses one."""
from __future__ import annotations

import datetime as dt
import os
import threading

import pytest

from generator import pipeline, render, scale, serve_worker, two_cores, yamlfile
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



@pytest.fixture
def serving(monkeypatch):
    """A second thread, as `mkdocs serve` has; the serve worker is stopped afterwards."""
    monkeypatch.setattr(serve_worker.os, "cpu_count", lambda: 2)
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait, daemon=True)
    watcher.start()
    yield
    stop.set()
    watcher.join()
    serve_worker.stop()


def pages_in(docs) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


@pytest.fixture
def one_process_site(make_catalog, tmp_path, big, monkeypatch):
    """The real catalog, playing a big one, in a throw-away folder; and its pages from one process."""
    catalog_dir = make_catalog(with_real_errors=True)
    with monkeypatch.context() as m:
        m.setattr(two_cores, "available", lambda items: False)
        pipeline.build(catalog_dir, tmp_path / "one", today=TODAY)
    return catalog_dir, pages_in(tmp_path / "one")


def test_under_serve_a_worker_process_renders_exactly_what_one_process_does(one_process_site, serving,
                                                                            tmp_path):
    catalog_dir, expected = one_process_site
    assert not two_cores.available(100), "a threaded process must not fork"
    fallbacks = serve_worker.fallbacks
    for run in ("first", "again"):  # the second rebuild reuses the worker
        pipeline.build(catalog_dir, tmp_path / run, today=TODAY)
        assert pages_in(tmp_path / run) == expected
    assert serve_worker._pool is not None, "the build did not use the worker"
    assert serve_worker.fallbacks == fallbacks, "the worker failed and this process rendered its share"


def test_under_serve_a_killed_worker_is_replaced_and_the_next_rebuild_gets_a_new_one(one_process_site,
                                                                                      serving, tmp_path):
    import signal

    catalog_dir, expected = one_process_site
    pipeline.build(catalog_dir, tmp_path / "docs", today=TODAY)  # starts the worker
    for pid in list(serve_worker._pool._processes):
        os.kill(pid, signal.SIGKILL)
    fallbacks = serve_worker.fallbacks
    for run in ("after the kill", "next"):
        pipeline.build(catalog_dir, tmp_path / run, today=TODAY)
        assert pages_in(tmp_path / run) == expected
    assert serve_worker.fallbacks == fallbacks + 1, "the dead worker's share was not redone once, then handed on"


@pytest.mark.parametrize("changed", ["a catalog file", "a template"])
def test_under_serve_a_file_saved_mid_rebuild_makes_this_process_render_the_worker_pages(one_process_site,
                                                                                          serving, tmp_path,
                                                                                          monkeypatch, changed):
    from dataclasses import replace

    catalog_dir, expected = one_process_site
    if changed == "a catalog file":  # this process's load saw other bytes than the worker's
        real_load = pipeline.load_catalog
        monkeypatch.setattr(pipeline, "load_catalog", lambda root: (lambda c: replace(
            c, files={**c.files, str(root / "flows.yaml"): b"saved in between"}))(real_load(root)))
    else:
        monkeypatch.setattr(pipeline, "templates_stamp", lambda: (("error.md.j2", 1, 1),))
    fallbacks = serve_worker.fallbacks
    pipeline.build(catalog_dir, tmp_path / "docs", today=TODAY)
    assert serve_worker.fallbacks == fallbacks + 1
    assert pages_in(tmp_path / "docs") == expected


def test_without_a_worker_this_process_renders_everything(one_process_site, serving, tmp_path, monkeypatch):
    catalog_dir, expected = one_process_site

    class Broken:
        def submit(self, *args, **kwargs):
            raise RuntimeError("cannot start a process here")

    monkeypatch.setattr(serve_worker, "start", lambda: Broken())
    pipeline.build(catalog_dir, tmp_path / "docs", today=TODAY)
    assert pages_in(tmp_path / "docs") == expected


def test_under_serve_a_bad_catalog_reports_as_usual_and_the_fixed_one_builds(one_process_site, serving, tmp_path):
    from generator.problems import CatalogError

    catalog_dir, expected = one_process_site
    entry = catalog_dir / "errors" / "invalid_grant.yaml"
    good = entry.read_text()
    entry.write_text(good.replace("cases:", "cases: [", 1))
    with pytest.raises(CatalogError) as failure:
        pipeline.build(catalog_dir, tmp_path / "docs", today=TODAY)
    assert "invalid_grant.yaml" in str(failure.value)
    assert not (tmp_path / "docs").exists(), "a bad catalog must leave docs/ as it was"
    entry.write_text(good)
    fallbacks = serve_worker.fallbacks
    pipeline.build(catalog_dir, tmp_path / "docs", today=TODAY)
    assert pages_in(tmp_path / "docs") == expected
    assert serve_worker.fallbacks == fallbacks, "the worker did not recover from the bad catalog"
