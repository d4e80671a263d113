"""The monthly (or yearly) report: per municipality what people asked for, what was left unanswered for lack of data,
refusals by the survey's reasons, what check-ins heard, and handoffs — beside the Ombudsman's 2021 survey — as HTML
and PDF. Every count under SMALL is suppressed, with secondary suppression where a total would give it away."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy import func, select

from cards.render import topic_titles
from knowledge.db import session_scope
from knowledge.models import Municipality
from knowledge.records import SHELTER_KINDS
from knowledge.repository import SqlKnowledgeRepository
from survey.events import CHECKIN_ANSWERS, REFUSAL_REASONS
from survey.models import SurveyEvent

SMALL = 5  # a count below this is never shown
HIDDEN = "<5"
SECONDARY = "×"  # not small itself, hidden so that a small one cannot be worked out from a total
NEEDS = ("answered", "no_data", "fallback")  # the outcomes of a question (the others are what followed)
TOP_TOPICS = 12  # bars in a needs chart
MONTHS_LV = ("janvāris", "februāris", "marts", "aprīlis", "maijs", "jūnijs", "jūlijs", "augusts", "septembris",
             "oktobris", "novembris", "decembris")


@cache
def words() -> dict:
    """The report's wording and the 2021 survey's figures (survey/report.yml)."""
    return yaml.load(Path(__file__).with_name("report.yml").read_text(encoding="utf-8"), yaml.CSafeLoader)


def months_of(spec: str) -> tuple[str, list[str]]:
    """'2026-12' -> ('2026. gada decembris', ['2026-12']); '2026' -> ('2026. gads', the twelve months)."""
    if len(spec) == 4 and spec.isdigit():
        return f"{spec}. gads", [f"{spec}-{m:02d}" for m in range(1, 13)]
    year, month = dt.datetime.strptime(spec, "%Y-%m").date().timetuple()[:2]
    return f"{year}. gada {MONTHS_LV[month - 1]}", [f"{year}-{month:02d}"]


def last_month(today: dt.date) -> str:
    """The month before `today`'s (what the monthly job reports)."""
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


# --- suppression -----------------------------------------------------------------------------------------------
def protect(grid: list[list[int]], rows: bool = True, columns: bool = True) -> list[list[str | None]]:
    """Which cells to hide: every count under SMALL ('<5'); then, while a row or column whose total is printed
    (`rows`, `columns`) has exactly one hidden cell, the smallest shown cell beside it too ('×')."""
    hidden: list[list[str | None]] = [[HIDDEN if v < SMALL else None for v in row] for row in grid]
    lines = [[(r, c) for c in range(len(row))] for r, row in enumerate(grid)] if rows else []
    lines += [[(r, c) for r in range(len(grid))] for c in range(len(grid[0]) if grid else 0)] if columns else []
    changed = True
    while changed:
        changed = False
        for line in lines:
            if len(line) < 2 or sum(hidden[r][c] is not None for r, c in line) != 1:
                continue
            shown = [(grid[r][c], r, c) for r, c in line if hidden[r][c] is None]
            if shown:
                _, r, c = min(shown, key=lambda v: (v[0], -v[2], v[1]))  # on a tie, not the total column
                hidden[r][c], changed = SECONDARY, True
    return hidden


def shown_grid(grid: list[list[int]], rows: bool = True, columns: bool = True) -> list[list[str]]:
    """The grid as it may be printed."""
    hidden = protect(grid, rows, columns)
    return [[h or str(v) for v, h in zip(row, hrow)] for row, hrow in zip(grid, hidden)]


def share(part: int, whole: int) -> str:
    """A percentage, only when both counts may be shown."""
    return f"{round(100 * part / whole)} %" if part >= SMALL and whole >= SMALL else "–"


# --- the counts ---------------------------------------------------------------------------------------------------
@dataclass
class Counts:
    """The events of a period, grouped: (municipality, topic, outcome, reason) -> n."""

    cells: Counter = field(default_factory=Counter)

    def where(self, municipality: str | None) -> "Counts":
        """Only one municipality's (None: the events with no place)."""
        return Counts(Counter({k: n for k, n in self.cells.items() if k[0] == municipality}))

    def needs(self) -> dict[str, Counter]:
        """topic -> {answered, no_data, fallback}."""
        out: dict[str, Counter] = defaultdict(Counter)
        for (_, topic, outcome, _), n in self.cells.items():
            if outcome in NEEDS:
                out[topic][outcome] += n
        return out

    def total(self, outcome: str, reason: str | None = None, topic: str | None = None) -> int:
        """Events with this outcome (and this reason, this topic, when given)."""
        return sum(n for (_, t, o, r), n in self.cells.items()
                   if o == outcome and (reason is None or r == reason) and (topic is None or t == topic))


def tally(url: str | None, months: list[str]) -> Counts:
    """One GROUP BY over the period's events."""
    e = SurveyEvent
    with session_scope(url) as s:
        rows = s.execute(select(e.municipality, e.topic, e.outcome, e.reason, func.count())
                         .where(e.month.in_(months)).group_by(e.municipality, e.topic, e.outcome, e.reason)).all()
    return Counts(Counter({(m, t, o, r): n for m, t, o, r, n in rows}))


# --- pages ----------------------------------------------------------------------------------------------------------
@dataclass
class Page:
    """One page: a title and blocks ('h', text) | ('p', text) | ('table', headers, rows) | ('chart', png)."""

    title: str
    blocks: list[tuple] = field(default_factory=list)


def _title(topic: str) -> str:
    return words()["topics"].get(topic) or topic_titles("lv").get(topic) or topic


def _needs_table(counts: Counts) -> tuple[tuple, list[list[str]], list[tuple[str, int]], int]:
    """Topics asked, answered and left without local data (and how many questions were not understood)."""
    w = words()
    needs = sorted(((t, c) for t, c in counts.needs().items() if t != "nlu_fallback"),
                   key=lambda kv: (-sum(kv[1].values()), kv[0]))
    grid = [[c["answered"] + c["no_data"], c["answered"], c["no_data"]] for _, c in needs]
    shown = shown_grid(grid, columns=False) if grid else []  # each row's total (asked) is printed beside it
    rows = [[_title(t), *cells, share(g[2], g[0]) if cells[2].isdigit() else "–"]
            for (t, _), g, cells in zip(needs, grid, shown)]
    bars = [(_title(t), g[0]) for (t, _), g, cells in zip(needs, grid, shown) if cells[0].isdigit()][:TOP_TOPICS]
    head = (w["col_topic"], w["col_asked"], w["col_answered"], w["col_no_data"], w["col_share_no_data"])
    return head, rows, bars, sum(c["fallback"] for c in counts.needs().values())


def _chart(bars: list[tuple[str, int]], title: str) -> bytes | None:
    """A horizontal bar chart of the shown counts (matplotlib, Agg)."""
    if not bars:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 0.35 * len(bars) + 1.0), dpi=110)
    labels, values = zip(*reversed(bars))
    ax.barh(labels, values, color="#2f6f8f")
    for y, v in enumerate(values):
        ax.text(v, y, f" {v}", va="center", fontsize=8)
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _outcomes(counts: Counts) -> list[tuple]:
    """Refusals by reason (beside the survey's list), check-in answers per topic, handoffs."""
    w = words()
    listed = set(w["survey_2021"]["reasons_listed"])
    blocks: list[tuple] = [("h", w["refusals"])]
    grid = [[counts.total("refused", r)] for r in REFUSAL_REASONS]
    shown = shown_grid(grid + [[sum(g[0] for g in grid)]], rows=False)  # the column with its total
    blocks.append(("table", (w["col_reason"], w["col_count"], w["col_in_2021"]),
                   [[w["reasons"][r], s[0], w["in_2021_yes" if r in listed else "in_2021_no"]]
                    for r, s in zip(REFUSAL_REASONS, shown)] + [[w["total"], shown[-1][0], ""]]))
    for topic, answers in CHECKIN_ANSWERS.items():
        grid = [[counts.total("checkin", a, topic)] for a in answers]
        shown = shown_grid(grid + [[sum(g[0] for g in grid)]], rows=False)
        blocks += [("h", w[topic]), ("table", (w["col_answer"], w["col_count"]),
                                      [[w["answers"][a], s[0]] for a, s in zip(answers, shown)]
                                      + [[w["total"], shown[-1][0]]])]
    handoffs = counts.total("handoff")
    blocks.append(("p", w["handoffs"].format(n=handoffs if handoffs >= SMALL else HIDDEN)))
    return blocks


def national(counts: Counts, places: list[str | None], no_shelter: int) -> Page:
    """The national summary: needs, outcomes, each municipality in one line, and the 2021 survey."""
    w = words()
    page = Page(w["national"], [("p", w["what"]), ("p", w["suppression"]), ("h", w["needs"])])
    head, rows, bars, missed = _needs_table(counts)
    chart = _chart(bars, w["needs_chart"])
    page.blocks += ([("chart", chart)] if chart else []) + [("table", head, rows or [[w["no_events"], *[""] * 4]])]
    page.blocks.append(("p", w["not_understood"].format(n=missed if missed >= SMALL else HIDDEN)))
    page.blocks += _outcomes(counts)
    grid = []
    for place in places:
        mine = counts.where(place)
        needs = mine.needs()
        grid.append([sum(c["answered"] + c["no_data"] for c in needs.values()), sum(c["no_data"] for c in needs.values()),
                     mine.total("refused"), mine.total("handoff")])
    shown = shown_grid(grid, rows=False)  # each column adds up to a national figure printed above
    page.blocks += [("h", w["by_municipality"]), ("table", (w["col_municipality"], w["col_asked"],
                                                            w["col_share_no_data"], w["col_refusals"],
                                                            w["col_handoffs"]),
                                                  [[_place(p), s[0], share(g[1], g[0]) if s[0].isdigit() and s[1].isdigit() else "–",
                                                    s[2], s[3]] for p, g, s in zip(places, grid, shown)])]
    refusing = sum(1 for p, g in zip(places, grid) if p is not None and g[2] > 0)
    page.blocks += [("h", w["compare_title"]), *[("p", line) for line in w["survey_2021"]["lines"]],
                    ("p", w["compare_now"].format(refusing=refusing, no_shelter=no_shelter, places=len(places) - 1)),
                    ("p", w["source"].format(source=w["survey_2021"]["source"]))]
    return page


def _place(name: str | None) -> str:
    return name if name is not None else words()["unknown_place"]


def municipality_page(counts: Counts, place: str | None, has_shelter: bool | None) -> Page:
    """One municipality: its needs, outcomes and handoffs."""
    w = words()
    page = Page(_place(place))
    if has_shelter is not None:
        page.blocks.append(("p", w["shelter_known"].format(known=w["yes" if has_shelter else "no"])))
    if not counts.cells:
        page.blocks.append(("p", w["no_events"]))
        return page
    head, rows, bars, missed = _needs_table(counts)
    chart = _chart(bars, w["needs_chart"])
    page.blocks += [("h", w["needs"]), *([("chart", chart)] if chart else []), ("table", head, rows),
                    ("p", w["not_understood"].format(n=missed if missed >= SMALL else HIDDEN))]
    page.blocks += _outcomes(counts)
    return page


def pages(url: str | None, spec: str) -> tuple[str, list[Page]]:
    """The period's label and its pages: the national summary, then each municipality, then 'no place said'."""
    label, months = months_of(spec)
    counts = tally(url, months)
    with session_scope(url) as s:
        places = sorted(s.scalars(select(Municipality.name).where(Municipality.merged_into.is_(None))))
    repo = SqlKnowledgeRepository(url)
    shelters = {p: bool(repo.services(SHELTER_KINDS, p, limit=1)) for p in places}
    out = [national(counts, [*places, None], sum(not v for v in shelters.values()))]
    out += [municipality_page(counts.where(p), p, shelters[p]) for p in places]
    out.append(municipality_page(counts.where(None), None, None))
    return label, out


# --- output ---------------------------------------------------------------------------------------------------------
CSS = """body{font-family:'DejaVu Sans',sans-serif;color:#1b1b1b;margin:0}
.page{padding:28px 36px;page-break-after:always;max-width:900px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:18px 0 6px}p{font-size:13px;line-height:1.45;margin:6px 0}
table{border-collapse:collapse;font-size:12px;margin:6px 0}th,td{border:1px solid #bbb;padding:3px 8px;text-align:left}
td:not(:first-child){text-align:right}th{background:#eef3f6}.meta{color:#555;font-size:12px}img{max-width:100%}"""


def to_html(label: str, report: list[Page], today: dt.date) -> str:
    """One self-contained HTML file (charts inline)."""
    w = words()
    parts = [f"<!doctype html><html lang=\"lv\"><head><meta charset=\"utf-8\"><title>{html.escape(w['title'])}"
             f"</title><style>{CSS}</style></head><body>"]
    for page in report:
        parts.append(f"<section class=\"page\"><h1>{html.escape(page.title)}</h1><p class=\"meta\">"
                     f"{html.escape(w['title'])}. {html.escape(w['period'].format(period=label))}</p>")
        for block in page.blocks:
            if block[0] == "h":
                parts.append(f"<h2>{html.escape(block[1])}</h2>")
            elif block[0] == "p":
                parts.append(f"<p>{html.escape(block[1])}</p>")
            elif block[0] == "chart":
                parts.append(f"<img alt=\"{html.escape(w['needs_chart'])}\" "
                             f"src=\"data:image/png;base64,{base64.b64encode(block[1]).decode()}\">")
            else:
                head = "".join(f"<th>{html.escape(h)}</th>" for h in block[1])
                body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                               for row in block[2])
                parts.append(f"<table><tr>{head}</tr>{body}</table>")
        parts.append(f"<p class=\"meta\">{html.escape(w['generated'].format(date=today.strftime('%d.%m.%Y.')))}</p>"
                     "</section>")
    return "".join(parts) + "</body></html>"


def to_pdf(label: str, report: list[Page], today: dt.date) -> bytes:
    """The same pages as an A4 PDF (fpdf2, DejaVu for the Latvian letters)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from cards.checklist_pdf import font_file

    w = words()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_font("DejaVu", "", str(font_file("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(font_file("DejaVuSans-Bold.ttf")))
    pdf.set_title(w["title"])
    for page in report:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 16)
        pdf.multi_cell(0, 8, page.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(0, 4.5, f"{w['title']}. {w['period'].format(period=label)}", new_x="LMARGIN", new_y="NEXT")
        for block in page.blocks:
            if block[0] == "h":
                pdf.ln(2)
                pdf.set_font("DejaVu", "B", 12)
                pdf.multi_cell(0, 6.5, block[1], new_x="LMARGIN", new_y="NEXT")
            elif block[0] == "p":
                pdf.set_font("DejaVu", "", 9.5)
                pdf.multi_cell(0, 5, block[1], new_x="LMARGIN", new_y="NEXT")
            elif block[0] == "chart":
                pdf.image(io.BytesIO(block[1]), w=150)
            else:
                pdf.set_font("DejaVu", "", 8.5)
                with pdf.table(headings_style=FontFace(emphasis="BOLD", fill_color=(238, 243, 246)), line_height=4.8,
                               text_align="LEFT") as table:
                    for row in [block[1], *block[2]]:
                        cells = table.row()
                        for c in row:
                            cells.cell(str(c))
        pdf.ln(2)
        pdf.set_font("DejaVu", "", 7.5)
        pdf.multi_cell(0, 4, w["generated"].format(date=today.strftime("%d.%m.%Y.")), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def write(url: str | None, spec: str, out: Path, today: dt.date | None = None) -> tuple[Path, Path]:
    """reports/celvedis-<period>.html and .pdf."""
    today = today or dt.date.today()
    label, report = pages(url, spec)
    out.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out / f"celvedis-{spec}.html", out / f"celvedis-{spec}.pdf"
    html_path.write_text(to_html(label, report, today), encoding="utf-8")
    pdf_path.write_bytes(to_pdf(label, report, today))
    return html_path, pdf_path
