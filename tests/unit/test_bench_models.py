"""The benchmark's models are retrained only when what they learn from changes (bench/models.py)."""

import shutil

from bench import models


def test_a_yaml_comment_keeps_the_fingerprint_and_a_value_changes_it(tmp_path):
    for rel in models.INPUTS["stock"]:  # a copy of stock's inputs
        src, dst = models.ROOT / rel, tmp_path / rel
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    before = models.fingerprint("stock", tmp_path)
    assert before == models.fingerprint("stock")
    domain = tmp_path / "domain" / "dialogue.yml"
    domain.write_text("# a note for the reader\n" + domain.read_text(encoding="utf-8"), encoding="utf-8")
    assert models.fingerprint("stock", tmp_path) == before
    domain.write_text(domain.read_text(encoding="utf-8").replace("session_expiration_time: 720",
                                                                   "session_expiration_time: 60"), encoding="utf-8")
    assert models.fingerprint("stock", tmp_path) != before
