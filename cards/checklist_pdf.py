"""The plan as a printable A4 PDF: large type, correct Latvian (and Russian) letters, no data beyond the answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cards.render import source_date, source_label, templates

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)  # Debian's fonts-dejavu-core (scripts/setup.sh installs it)


def font_file(name: str) -> Path:
    for d in FONT_DIRS:
        if (d / name).exists():
            return d / name
    raise FileNotFoundError(f"{name}: install the Debian package fonts-dejavu-core")


def render(title_lines: list[str], phases: list[tuple[str, list[dict]]], language: str, today: dt.date) -> bytes:
    """phases: [(heading, [{mark, name, lines: [...], source, date}])] -> PDF bytes."""
    from fpdf import FPDF  # here, not at the top: every front door start imports this module (0.27 s), few make a PDF

    t = templates(language)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(font_file("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(font_file("DejaVuSans-Bold.ttf")))
    pdf.set_title(t["plan_title"])
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 20)
    pdf.multi_cell(0, 10, t["plan_title"], new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 13)
    for line in title_lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT", align="L")
    for heading, items in phases:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 16)
        pdf.multi_cell(0, 9, heading, new_x="LMARGIN", new_y="NEXT", align="L")
        for item in items:
            pdf.ln(1)
            pdf.set_font("DejaVu", "B", 14)
            pdf.multi_cell(0, 7.5, f"{item['mark']}  {item['name']}", new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.set_font("DejaVu", "", 12)
            for line in item["lines"]:
                pdf.multi_cell(0, 6.5, "    " + line.strip(), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.set_font("DejaVu", "", 9)
            pdf.multi_cell(0, 5, "    " + t["pdf_source"].format(source=source_label(item["source"]),
                                                                   date=source_date(item["date"], language) or "–"),
                           new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, t["pdf_generated"].format(date=today.strftime("%d.%m.%Y.")), new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())
