"""The benchmark report's targets table: met, not met, and a level where no turn succeeded."""

from bench.report import targets


def level(p95, throughput, rasa_cpu=20.0, users=20):
    return {"users": users, "p95_ms": p95, "throughput": throughput,
            "cpu_ms_per_turn": {"Rasa 1": rasa_cpu, "front door": 4.0}, "memory": {"peak_total_rss_mb": 650.0}}


def test_targets_say_met_not_met_and_not_measured():
    cfgs = {"ours": {"levels": {"20": level(300, 30.0)}}, "stock": {"levels": {"20": level(1200, 9.0)}},
            "stockfix": {"levels": {"20": level(400, 12.0, rasa_cpu=40.0)}}}
    table = "\n".join(targets(cfgs))
    assert "| turn p95 at 20 users ≤ ⅓ of stock Rasa | 300 ms | 1,200 ms | 0.25 | **met** |" in table
    assert "≤ ⅔ of" in table and "| 0.75 | **not met** |" in table  # 300 > 400 × ⅔
    assert "| Rasa CPU per message at 20 users ≤ 25 ms | 20.0 ms |" in table and "650 MB" in table
    cfgs["stock"]["levels"]["20"]["p95_ms"] = None  # every turn of the baseline failed at that level
    table = "\n".join(targets(cfgs))
    assert "| turn p95 at 20 users ≤ ⅓ of stock Rasa | 300 ms | – ms | – | **not measured** |" in table


def test_a_profiled_functions_file_is_named_without_this_machines_paths():
    from bench.load import source_name
    from bench.load_stack import ROOT

    installed = "/opt/py/lib/python3.10/site-packages/sqlalchemy/engine/default.py"
    assert source_name(installed) == "sqlalchemy/engine/default.py"
    assert source_name("/home/someone/.pyenv/versions/3.10.13/lib/python3.10/json/encoder.py") == \
        "python3.10/json/encoder.py"
    assert source_name(f"{ROOT}/bot/frontdoor.py") == "bot/frontdoor.py"
    assert source_name("<frozen importlib._bootstrap>") == "<frozen importlib._bootstrap>"
