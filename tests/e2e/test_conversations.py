"""`rasa test` on the conversation tests in tests/conversations, against the real action server."""

import subprocess

import pytest

from tests.conftest import RASA_BIN, ROOT


@pytest.mark.e2e
@pytest.mark.rasa
def test_conversation_stories(stack, model, tmp_path):
    out = subprocess.run(
        [str(RASA_BIN), "test", "core", "--model", str(model), "--stories", "tests/conversations",
         "--endpoints", "endpoints.yml", "--fail-on-prediction-errors", "--out", str(tmp_path)],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=900,
    )
    failed = (tmp_path / "failed_test_stories.yml")
    detail = failed.read_text() if failed.exists() else out.stdout[-3000:] + out.stderr[-3000:]
    assert out.returncode == 0, detail
    assert "None of the test stories failed" in failed.read_text()
