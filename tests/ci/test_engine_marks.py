"""CI's PostgreSQL + Redis pass runs only tests marked `engine`: a module that counts queries,
races threads, locks rows, reads the cache or the engine's name must carry the mark. Browser
tests are the exception: they run once, in the SQLite pass."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
ENGINE_SENSITIVE = re.compile(
    r"CaptureQueriesContext|django_assert(_max)?_num_queries|select_for_update|ThreadPoolExecutor"
    r"|threading\.|connection\.vendor|from django\.core\.cache import|transaction=True"
)


def unmarked(paths) -> list[str]:
    found = []
    for path in paths:
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if "pytest.mark.engine" in text:
            continue
        if ENGINE_SENSITIVE.search(text):
            found.append(name)
    return found


def test_every_engine_sensitive_module_is_marked():
    modules = [p for p in TESTS.rglob("test_*.py") if "browser" not in p.parts]
    assert len(modules) > 40
    assert unmarked(modules) == []


def test_the_check_sees_an_unmarked_module(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    counting = tmp_path / "test_counting.py"
    counting.write_text("from django.test.utils import CaptureQueriesContext\n")
    marked = tmp_path / "test_marked.py"
    marked.write_text("pytestmark = pytest.mark.engine\nthreading.Thread\n")
    assert unmarked([counting, marked]) == ["test_counting.py"]
