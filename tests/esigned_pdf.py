"""Small e-signed PDFs built in raw PDF syntax, the way Vietnamese e-signing tools write them.

A signing tool adds, for each signature, a form field of type /Sig whose widget annotation
draws the signer's stamp through its appearance stream ("Người ký: ...", "Cơ quan: ...",
"Thời gian ký: ..."), and whose value is the signature dictionary (/Reason, /M, /Name,
/Location, /ContactInfo, /ByteRange over the signed bytes). The issuing office's tools also
stamp the number and the date into widgets laid over the blanks of "Số:      /KH-UBND".

Text is drawn with one Type0 font (Identity-H) whose ToUnicode map gives each glyph code its
character, so Vietnamese reads back exactly without a font file in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Text:
    """One text run: ``text`` at (``x``, ``y``) in PDF points (y from the bottom), ``size`` pt."""

    text: str
    x: float
    y: float
    size: float = 12.0


@dataclass
class Widget:
    """A widget annotation over ``rect`` (left, bottom, right, top) drawing ``lines`` (in the
    widget's own space, from its bottom left); a /Sig field when ``signature`` is given (the
    signature dictionary's entries, e.g. {"Reason": "...", "M": "D:2026..."})."""

    rect: tuple[float, float, float, float]
    lines: list[Text]
    signature: dict[str, str] | None = None
    name: str = "Signature1"
    build: str = ""  # the signing app's /Prop_Build dictionary, raw ("<< /App << /Name /X >> >>")


@dataclass
class Page:
    texts: list[Text] = field(default_factory=list)  # the page's own text
    widgets: list[Widget] = field(default_factory=list)
    size: tuple[float, float] = (595.0, 842.0)


def _literal(value: str) -> bytes:
    """A PDF literal string: UTF-16BE with its byte-order mark (as signing tools write
    Vietnamese), or the plain ASCII bytes; delimiters escaped."""
    raw = value.encode("ascii") if value.isascii() else b"\xfe\xff" + value.encode("utf-16-be")
    escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + escaped + b")"


class _Font:
    """Glyph codes handed out per character, and the ToUnicode map that reads them back."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def show(self, run: Text) -> bytes:
        codes = [self.codes.setdefault(char, len(self.codes) + 1) for char in run.text]
        hex_codes = "".join(f"{code:04X}" for code in codes)
        return f"BT /F1 {run.size:g} Tf {run.x:g} {run.y:g} Td <{hex_codes}> Tj ET\n".encode()

    def to_unicode(self) -> bytes:
        entries = "\n".join(
            f"<{code:04X}> <{char.encode('utf-16-be').hex().upper()}>" for char, code in self.codes.items()
        )
        return (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(self.codes)} beginbfchar\n{entries}\nendbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end\n"
        ).encode()


def write_pdf(path: Path, pages: list[Page]) -> Path:
    """Write ``pages`` as a PDF at ``path``; each /Sig widget becomes an AcroForm field."""
    font = _Font()
    objects: dict[int, bytes] = {}
    count = [0]

    def new() -> int:
        count[0] += 1
        return count[0]

    def stream(number: int, data: bytes, extra: str = "") -> None:
        objects[number] = f"<< {extra} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

    catalog, page_tree, font_ref, descendant, descriptor, cmap = (new() for _ in range(6))
    resources = f"/Resources << /Font << /F1 {font_ref} 0 R >> >>"
    page_refs: list[int] = []
    fields: list[int] = []
    for page in pages:
        page_ref, content = new(), new()
        page_refs.append(page_ref)
        stream(content, b"".join(font.show(run) for run in page.texts))
        annots: list[int] = []
        for widget in page.widgets:
            annot, appearance = new(), new()
            left, bottom, right, top = widget.rect
            stream(
                appearance,
                b"".join(font.show(run) for run in widget.lines),
                f"/Type /XObject /Subtype /Form /BBox [0 0 {right - left:g} {top - bottom:g}] {resources}",
            )
            entries = (
                f"/Type /Annot /Subtype /Widget /Rect [{left:g} {bottom:g} {right:g} {top:g}] /F 4 "
                f"/P {page_ref} 0 R /AP << /N {appearance} 0 R >> /T ({widget.name})"
            ).encode()
            if widget.signature is not None:
                signature = new()
                values = b" ".join(
                    b"/" + key.encode() + b" " + _literal(value) for key, value in widget.signature.items()
                )
                objects[signature] = (
                    b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
                    b"/ByteRange [0 0 0 0] /Contents <"
                    + b"0" * 64
                    + b"> "
                    + values
                    + (b" /Prop_Build " + widget.build.encode() if widget.build else b"")
                    + b" >>"
                )
                entries += f" /FT /Sig /V {signature} 0 R".encode()
                fields.append(annot)
            objects[annot] = b"<< " + entries + b" >>"
            annots.append(annot)
        width, height = page.size
        annot_list = f"/Annots [{' '.join(f'{a} 0 R' for a in annots)}]" if annots else ""
        objects[page_ref] = (
            f"<< /Type /Page /Parent {page_tree} 0 R /MediaBox [0 0 {width:g} {height:g}] "
            f"/Contents {content} 0 R {resources} {annot_list} >>"
        ).encode()
    form = f"/AcroForm << /Fields [{' '.join(f'{f} 0 R' for f in fields)}] /SigFlags 3 >>" if fields else ""
    objects[catalog] = f"<< /Type /Catalog /Pages {page_tree} 0 R {form} >>".encode()
    kids = " ".join(f"{ref} 0 R" for ref in page_refs)
    objects[page_tree] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_refs)} >>".encode()
    objects[font_ref] = (
        f"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H "
        f"/DescendantFonts [{descendant} 0 R] /ToUnicode {cmap} 0 R >>"
    ).encode()
    objects[descendant] = (
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial /CIDToGIDMap /Identity "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/DW 500 /FontDescriptor {descriptor} 0 R >>"
    ).encode()
    objects[descriptor] = (
        b"<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [-200 -250 1000 950] "
        b"/ItalicAngle 0 /Ascent 900 /Descent -250 /CapHeight 700 /StemV 80 >>"
    )
    stream(cmap, font.to_unicode())  # after every text run: the map holds all their characters
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {count[0] + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offsets[number]:010d} 00000 n \n".encode() for number in range(1, count[0] + 1))
    out += f"trailer\n<< /Size {count[0] + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
