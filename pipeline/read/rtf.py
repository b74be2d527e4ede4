"""RTF reader: paragraphs as lines, with font, bold, italic, centring and simple tables.

A small tokenizer of our own instead of striprtf: striprtf returns plain text only, and
legacy documents need the font of each line (".VnTime" = TCVN3, "VNI-Times" = VNI) for the
legacy converter to know what the 8-bit text means.

8-bit escapes (\\'xx) in legacy or ANSI fonts are decoded as cp1252 code points, with the
five bytes cp1252 leaves undefined taken as latin-1, so every byte maps back one-to-one
(``text.encode("cp1252")``, those five via latin-1) for pipeline.repair.legacy.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.model import Cell, Document, Line, Page, Run, Table

MAX_BYTES = 50 * 1024 * 1024
_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|([^\\{}\r\n]+)|[\r\n]+"
)
# Groups whose content is not document text.
_SKIPPED_DESTINATIONS = {
    "colortbl", "info", "pict", "object", "themedata", "colorschememapping", "latentstyles",
    "datastore", "xmlnstbl", "listtable", "listoverridetable", "rsidtbl", "generator", "header",
    "headerl", "headerr", "headerf", "footer", "footerl", "footerr", "footerf", "fldinst",
    "bkmkstart", "bkmkend", "pn", "sp", "shpinst", "nonshppict", "xe", "tc", "filetbl",
    "revtbl", "mmathPr", "pgdsctbl", "falt", "panose", "template", "userprops", "docvar",
    "wgrffmtfilter", "ftnsep", "ftnsepc", "aftnsep", "protusertbl", "blipuid", "ud",
}  # fmt: skip
_LEGACY_FONT = re.compile(r"^\.?vn|^vni[-_ ]|^vni$|tcvn|abc", re.I)
# Font charsets that name a code page; 0 (ANSI) means the document's \ansicpg.
_CHARSET_CODEPAGES = {163: "cp1258", 161: "cp1253", 162: "cp1254", 186: "cp1257", 204: "cp1251"}
_PARAGRAPH_ENDS = {"par", "sect", "page", "line"}


@dataclass
class _State:
    """Character and paragraph formatting in force inside one RTF group."""

    font: int | None = None
    bold: bool = False
    italic: bool = False
    size: float | None = None
    centered: bool = False
    in_table: bool = False
    skip: bool = False
    destination: str = ""
    unicode_skip: int = 1


@dataclass
class _Font:
    name: str = ""
    charset: int = 0


@dataclass
class _Builder:
    """Collects characters of the current paragraph with their formatting."""

    chars: list[str] = field(default_factory=list)
    # The runs of one font (repair.legacy converts mixed legacy fonts run by run).
    # The pieces of each run, joined once at the end of the paragraph (joining per character
    # copied the run again for every \'xx: quadratic, 8 s for a 1.6 MB paragraph).
    run_pieces: list[list[str]] = field(default_factory=list)
    run_fonts: list[str | None] = field(default_factory=list)
    fonts: Counter[str] = field(default_factory=Counter)
    bold: int = 0
    italic: int = 0
    visible: int = 0
    sizes: Counter[float] = field(default_factory=Counter)
    centered: bool = False
    # A \uN high surrogate waiting for its low half (Word writes characters beyond the
    # BMP, emoji and rare CJK, as two \uN), and how many halves came alone (U+FFFD each).
    high_surrogate: int | None = None
    lone_surrogates: int = 0

    def add_code_unit(self, unit: int, state: _State, font_name: str | None) -> None:
        """One UTF-16 code unit from \\uN: surrogate pairs joined, lone halves replaced."""
        if 0xD800 <= unit <= 0xDBFF:
            self.flush_surrogate()
            self.high_surrogate = unit
        elif 0xDC00 <= unit <= 0xDFFF:
            high, self.high_surrogate = self.high_surrogate, None
            if high is None:
                self.lone_surrogates += 1
                self._add("\ufffd", state, font_name)
            else:
                self._add(chr(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)), state, font_name)
        else:
            self.add(chr(unit), state, font_name)

    def flush_surrogate(self) -> None:
        if self.high_surrogate is not None:
            self.high_surrogate = None
            self.lone_surrogates += 1
            self.chars.append("\ufffd")
            self._append_run("\ufffd", None)

    def _append_run(self, text: str, font_name: str | None) -> None:
        if self.run_fonts and self.run_fonts[-1] == font_name:
            # One run per font: converting "th" apart from "µnh" would misread both.
            self.run_pieces[-1].append(text)
        else:
            self.run_pieces.append([text])
            self.run_fonts.append(font_name)

    def runs(self) -> list[Run]:
        """The paragraph's runs of one font (their weight is not kept: None)."""
        spans: list[Run] = []
        start = 0
        for pieces, font in zip(self.run_pieces, self.run_fonts, strict=True):
            end = start + sum(map(len, pieces))
            spans.append(Run(start, end, font))
            start = end
        return spans

    def add(self, text: str, state: _State, font_name: str | None) -> None:
        self.flush_surrogate()
        self._add(text, state, font_name)

    def _add(self, text: str, state: _State, font_name: str | None) -> None:
        self.chars.append(text)
        self._append_run(text, font_name)
        visible = len(text.strip())
        if not visible:
            return
        self.visible += visible
        self.bold += visible if state.bold else 0
        self.italic += visible if state.italic else 0
        if font_name:
            self.fonts[font_name] += visible
        if state.size:
            self.sizes[state.size] += visible
        self.centered = state.centered


class _Reader:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.page = Page(number=1)
        self.fonts: dict[int, _Font] = {}
        self.styles: dict[int, _State] = {}
        self.codepage = "cp1252"
        self.builder = _Builder()
        self.table: Table | None = None
        self.row: list[Cell] = []
        self.cell_lines: list[Line] = []
        self.lone_surrogates = 0
        # The row's cell definitions (\cellx right edges, with their merge flags) and how many
        # of its cells have ended; cells still open downwards (\clvmgf) by right edge.
        self.cell_edges: list[tuple[int, str]] = []
        self.pending_merge = ""
        self.cells_ended = 0
        self.open_merges: dict[int, Cell] = {}

    # --- output --------------------------------------------------------------------------

    def end_paragraph(self, state: _State) -> None:
        builder, self.builder = self.builder, _Builder()
        builder.flush_surrogate()
        self.lone_surrogates += builder.lone_surrogates
        text = "".join(builder.chars)
        if not text.strip() and not state.in_table:
            self.page.lines.append(Line(text=""))
            return
        total = builder.visible or 1
        line = Line(
            text=text,
            bold=builder.bold * 2 > total,
            italic=builder.italic * 2 > total,
            size=builder.sizes.most_common(1)[0][0] if builder.sizes else None,
            font=builder.fonts.most_common(1)[0][0] if builder.fonts else None,
            centered=builder.centered or state.centered,
            runs=builder.runs(),
        )
        if state.in_table:
            self.start_table_if_needed()
            assert self.table is not None
            line.block = "table"
            line.table_index = len(self.page.tables) - 1
            line.row = len(self.table.rows)
            line.column = len(self.row)
            if text.strip():
                self.cell_lines.append(line)
        else:
            self.end_table()
        if text.strip() or not state.in_table:
            self.page.lines.append(line)

    def start_table_if_needed(self) -> None:
        if self.table is None:
            self.table = Table(rows=[])
            self.page.tables.append(self.table)

    def define_cell(self, right_edge: int) -> None:
        """A \\cellx: the next cell's right edge, with the merge flag read before it."""
        self.cell_edges.append((right_edge, self.pending_merge))
        self.pending_merge = ""

    def end_cell(self, state: _State) -> None:
        if self.builder.chars:
            self.end_paragraph(replace(state, in_table=True))
        self.start_table_if_needed()
        text = "\n".join(line.text for line in self.cell_lines)
        bold = all(line.bold for line in self.cell_lines) if self.cell_lines else None
        self.cell_lines = []
        defined = self.cells_ended < len(self.cell_edges)
        edge, merge = self.cell_edges[self.cells_ended] if defined else (-1, "")
        self.cells_ended += 1
        # Merged cells as DOCX gives them: the first cell spans, the ones it covers are left out.
        if merge == "clvmrg" and edge in self.open_merges:
            self.open_merges[edge].rowspan += 1
            return
        if merge == "clmrg" and self.row:
            self.row[-1].colspan += 1
            return
        cell = Cell(text=text, bold=bold)
        if merge == "clvmgf":
            self.open_merges[edge] = cell
        else:
            self.open_merges.pop(edge, None)
        self.row.append(cell)

    def end_row(self) -> None:
        self.start_table_if_needed()
        assert self.table is not None
        self.table.rows.append(self.row)
        self.row, self.cells_ended = [], 0

    def end_table(self) -> None:
        if self.row and self.table is not None:
            self.table.rows.append(self.row)
        self.table, self.row, self.cells_ended = None, [], 0
        self.open_merges = {}

    # --- decoding ------------------------------------------------------------------------

    def font_name(self, state: _State) -> str | None:
        font = self.fonts.get(state.font) if state.font is not None else None
        return font.name if font else None

    def decode_byte(self, value: int, state: _State) -> str:
        font = self.fonts.get(state.font) if state.font is not None else None
        codepage = self.codepage
        if font is not None and not _LEGACY_FONT.search(font.name):
            codepage = _CHARSET_CODEPAGES.get(font.charset, codepage)
        if font is not None and _LEGACY_FONT.search(font.name):
            codepage = "cp1252"  # keep legacy bytes recoverable, never reinterpret them
        try:
            return bytes([value]).decode(codepage)
        except (UnicodeError, LookupError):
            return chr(value)


def read_rtf(path: Path) -> Document:
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise PipelineError("rtf.corrupt", f"{path.name} does not start with {{\\rtf")
    document = Document(path=str(path), format="rtf")
    if len(data) > MAX_BYTES:
        data = data[:MAX_BYTES]
        document.warn("rtf.truncated", f"only the first {MAX_BYTES} bytes were read")
    reader = _Reader(document)
    _parse(data, reader)
    reader.end_table()
    if reader.lone_surrogates:
        document.warn(
            "rtf.lone_surrogate",
            f"{reader.lone_surrogates} \\u character(s) were half of a surrogate pair "
            "without the other half; replaced by U+FFFD",
        )
    page = reader.page
    while page.lines and not page.lines[-1].text.strip():
        page.lines.pop()
    page.origin = "layer" if any(line.text.strip() for line in page.lines) else "none"
    document.pages.append(page)
    document.tab_layout = True
    legacy = sorted({font.name for font in reader.fonts.values() if _LEGACY_FONT.search(font.name)})
    if legacy:
        document.metadata["rtf_legacy_fonts"] = ", ".join(legacy)
    return document


def _parse(data: bytes, reader: _Reader) -> None:
    state = _State()
    stack: list[_State] = []
    pending_unicode_skip = 0
    font_entry: _Font | None = None
    font_id: int | None = None
    style_entry: _State | None = None
    style_id: int | None = None
    position = 0
    while True:
        match = _TOKEN.search(data, position)
        if match is None:
            break
        position = match.end()
        word, argument, hex_byte, symbol, brace, text = match.groups()
        if brace == b"{":
            if len(stack) > 1000:
                raise PipelineError("rtf.corrupt", "groups nested too deeply")
            stack.append(state)
            state = replace(state, destination=state.destination)
            continue
        if brace == b"}":
            if state.destination == "fonttbl_entry" and font_id is not None and font_entry is not None:
                reader.fonts.setdefault(font_id, font_entry)
            if state.destination == "style_entry" and style_id is not None and style_entry is not None:
                reader.styles.setdefault(style_id, style_entry)
            state = stack.pop() if stack else state
            continue
        if word is not None:
            name = word.decode("ascii")
            value = int(argument) if argument is not None else None
            if name == "bin":  # \binN: N bytes of binary data follow, never text or markup
                position = min(len(data), position + max(0, value or 0))
                continue
            # The first control word of a group may name a destination.
            if name in _SKIPPED_DESTINATIONS or (state.destination == "star" and name not in ("shptxt",)):
                state.skip = True
            if state.skip:
                continue
            if name == "fonttbl":
                state.destination = "fonttbl"
                continue
            if name == "stylesheet":
                state.destination = "stylesheet"
                continue
            if state.destination.startswith("fonttbl"):
                if name == "f" and value is not None:
                    if font_id is not None and font_entry is not None:
                        reader.fonts.setdefault(font_id, font_entry)  # entries not in their own group
                    state.destination, font_id, font_entry = "fonttbl_entry", value, _Font()
                elif name == "fcharset" and font_entry is not None and value is not None:
                    font_entry.charset = value
                continue
            if state.destination.startswith("style"):
                if name in ("s", "cs", "ds", "ts") and value is not None:
                    state.destination, style_id, style_entry = "style_entry", value, _State()
                    if name != "s":
                        style_id = None  # character/section/table styles are not applied
                elif style_entry is not None:
                    _apply_format(style_entry, name, value)
                continue
            pending_unicode_skip = _control(reader, state, name, value, pending_unicode_skip)
            continue
        if symbol is not None:
            if symbol == b"*":
                state.destination = "star"
                continue
            if state.skip:
                continue
            _symbol(reader, state, symbol.decode("latin-1"))
            continue
        if hex_byte is not None:
            if state.skip or state.destination.startswith("style"):
                continue
            if pending_unicode_skip:
                pending_unicode_skip -= 1
                continue
            char = reader.decode_byte(int(hex_byte, 16), state)
            if state.destination == "fonttbl_entry" and font_entry is not None:
                font_entry.name += char
            else:
                reader.builder.add(char, state, reader.font_name(state))
            continue
        if text is not None:
            if state.skip:
                continue
            decoded = text.decode("latin-1")
            if pending_unicode_skip:
                dropped = min(pending_unicode_skip, len(decoded))
                decoded, pending_unicode_skip = decoded[dropped:], pending_unicode_skip - dropped
            if state.destination == "fonttbl_entry" and font_entry is not None:
                font_entry.name = (font_entry.name + decoded).split(";")[0].strip()
            elif state.destination in ("fonttbl", "stylesheet", "style_entry"):
                continue
            elif decoded:
                reader.builder.add(_decode_text(decoded, reader, state), state, reader.font_name(state))
    if reader.builder.chars:
        reader.end_paragraph(state)


def _decode_text(text: str, reader: _Reader, state: _State) -> str:
    """Literal bytes above 0x7F are rare in RTF; decode them like \\'xx escapes."""
    if text.isascii():
        return text
    return "".join(char if ord(char) < 128 else reader.decode_byte(ord(char), state) for char in text)


def _apply_format(state: _State, name: str, value: int | None) -> None:
    if name == "f":
        state.font = value
    elif name == "b":
        state.bold = value != 0
    elif name == "i":
        state.italic = value != 0
    elif name == "fs" and value:
        state.size = value / 2
    elif name == "qc":
        state.centered = True
    elif name in ("ql", "qr", "qj", "qd"):
        state.centered = False
    elif name == "plain":
        state.bold = state.italic = False
        state.size = None
    elif name == "pard":
        state.centered = False
        state.in_table = False
    elif name == "intbl":
        state.in_table = True


def _control(reader: _Reader, state: _State, name: str, value: int | None, pending_skip: int) -> int:
    """Apply one control word; return how many fallback characters to skip next."""
    if name == "ansicpg" and value:
        reader.codepage = f"cp{value}"
    elif name == "s" and value is not None and value in reader.styles:
        style = reader.styles[value]
        state.font = style.font if style.font is not None else state.font
        state.bold, state.italic, state.centered = style.bold, style.italic, style.centered
        state.size = style.size or state.size
    elif name == "uc" and value is not None:
        state.unicode_skip = max(0, value)
    elif name == "u" and value is not None:
        reader.builder.add_code_unit(value % 65536, state, reader.font_name(state))
        return state.unicode_skip
    elif name in _PARAGRAPH_ENDS:
        reader.end_paragraph(state)
    elif name == "tab":
        reader.builder.add("\t", state, None)
    elif name in ("cell", "nestcell"):
        reader.end_cell(state)
    elif name == "trowd":
        reader.cell_edges, reader.pending_merge = [], ""
    elif name in ("clvmgf", "clvmrg", "clmgf", "clmrg"):
        reader.pending_merge = name
    elif name == "cellx" and value is not None:
        reader.define_cell(value)
    elif name in ("row", "nestrow"):
        reader.end_row()
    elif name in ("emdash", "endash", "bullet", "lquote", "rquote", "ldblquote", "rdblquote"):
        reader.builder.add(_SPECIALS[name], state, reader.font_name(state))
    else:
        _apply_format(state, name, value)
    return pending_skip


_SPECIALS = {
    "emdash": "\u2014",
    "endash": "\u2013",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
}


def _symbol(reader: _Reader, state: _State, symbol: str) -> None:
    if symbol in "\\{}":
        reader.builder.add(symbol, state, reader.font_name(state))
    elif symbol == "~":
        reader.builder.add("\u00a0", state, reader.font_name(state))
    elif symbol == "_":
        reader.builder.add("-", state, reader.font_name(state))
    elif symbol in "\r\n":
        reader.end_paragraph(state)
    # "\-" (optional hyphen) and "\:" (index subentry) print nothing.
