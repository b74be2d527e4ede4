"""One edXML file per record: the header envelope of QCVN 102:2016/BTTTT.

edXML is the format in which Vietnamese document-management (e-office) systems exchange documents.
The structure follows what public material documents of the standard: the namespace
``http://www.mic.gov.vn/TBT/QCVN_102_2016``, a root ``edXML`` holding ``edXMLEnvelope`` >
``edXMLHeader`` > ``MessageHeader`` (From, To, Code, PromulgationInfo, DocumentType, Subject,
Content, SignerInfo, DueDate, ToPlaces, OtherInfo, SteeringType, DocumentId) and ``edXMLBody`` >
``edXMLManifest`` naming the attached file.

Filled from the page: From/OrganName (the issuer), From/OrganizationInCharge (the superior body,
else the issuer), Code (number and symbol), PromulgationInfo (place and date, ``yyyy/MM/dd``, only
when the day is printed), DocumentType/TypeName, Subject (the summary), SignerInfo (authority,
position, name), ToPlaces (the recipients), OtherInfo/PageAmount, and the manifest's file name.
What the page cannot tell is written empty, never invented: the organs' exchange codes (OrganId,
hence DocumentId), the addressee organ (To), the type code of the exchange's code table
(DocumentType/Type), the whole text (Content), the answer due date, priority, steering type and the
number of copies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.record.models import Record

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
_E = f"{{{NAMESPACE}}}"

# MessageHeader's children in the order of the standard.
MESSAGE_HEADER = [
    "From",
    "To",
    "Code",
    "PromulgationInfo",
    "DocumentType",
    "Subject",
    "Content",
    "SignerInfo",
    "DueDate",
    "ToPlaces",
    "OtherInfo",
    "SteeringType",
    "DocumentId",
]


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _E + name)
    element.text = text or None
    return element


def edxml_date(iso: str | None) -> str:
    """'2026-03-05' -> '2026/03/05'; a month or year alone cannot fill a date: ''."""
    if iso and len(iso) == 10:
        return iso.replace("-", "/")
    return ""


def _organ(parent: etree._Element, name: str, organ: str, in_charge: str) -> None:
    element = _sub(parent, name)
    for child, value in (
        ("OrganId", ""),
        ("OrganizationInCharge", in_charge),
        ("OrganName", organ),
        ("OrganAdd", ""),
        ("Email", ""),
        ("Telephone", ""),
        ("Fax", ""),
        ("Website", ""),
    ):
        _sub(element, child, value)


def record_to_edxml(record: Record) -> bytes:
    header = record.document
    issuer = (header.issuer if header else None) or ""
    root = etree.Element(_E + "edXML", nsmap={"edXML": NAMESPACE, "xlink": XLINK})
    envelope = _sub(root, "edXMLEnvelope")
    message = _sub(_sub(envelope, "edXMLHeader"), "MessageHeader")
    _organ(message, "From", issuer, (header.issuer_parent if header else None) or issuer)
    _organ(message, "To", "", "")
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", header.number if header else None)
    _sub(code, "CodeNotation", header.symbol if header else None)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", header.place if header else None)
    _sub(promulgation, "PromulgationDate", edxml_date(header.issued_date if header else None))
    doc_type = _sub(message, "DocumentType")
    _sub(doc_type, "Type")
    _sub(doc_type, "TypeName", header.doc_type.name if header and header.doc_type else None)
    _sub(message, "Subject", header.summary if header else None)
    _sub(message, "Content")
    signer_info = _sub(message, "SignerInfo")
    signer = header.signer if header else None
    _sub(signer_info, "Competence", " ".join(signer.authority) if signer else None)
    _sub(signer_info, "Position", signer.position if signer else None)
    _sub(signer_info, "FullName", signer.name if signer else None)
    _sub(message, "DueDate")
    places = _sub(message, "ToPlaces")
    for recipient in header.recipients if header else []:
        _sub(places, "Place", recipient)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority")
    _sub(other, "SphereOfPromulgation")
    _sub(other, "TyperNotation")
    _sub(other, "PromulgationAmount")
    _sub(other, "PageAmount", str(len(record.source.pages)) if record.source.pages else None)
    _sub(other, "Appendixes")
    _sub(message, "SteeringType")
    _sub(message, "DocumentId")
    manifest = _sub(_sub(envelope, "edXMLBody"), "edXMLManifest")
    manifest.set("version", "1.0")
    reference = _sub(manifest, "Reference")
    reference.set(f"{{{XLINK}}}type", "simple")
    _sub(reference, "AttachmentName", Path(record.source.path).name)
    _sub(reference, "ContentType", _content_type(record.source.format))
    _sub(reference, "Description", f"sha256:{record.source.sha256}")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _content_type(fmt: str) -> str:
    return {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc": "application/msword",
        "rtf": "application/rtf",
        "html": "text/html",
        "txt": "text/plain",
    }.get(fmt, "application/octet-stream")


def read_edxml_header(data: bytes) -> dict[str, Any]:
    """The header fields of an edXML file, as ``record_to_edxml`` fills them (for checks and round trips)."""
    root = etree.fromstring(data)
    message = root.find(f"{_E}edXMLEnvelope/{_E}edXMLHeader/{_E}MessageHeader")
    if message is None:
        raise ValueError("no edXMLEnvelope/edXMLHeader/MessageHeader")

    def text(path: str) -> str | None:
        element = message.find("/".join(_E + part for part in path.split("/")))
        return (element.text or None) if element is not None else None

    date = text("PromulgationInfo/PromulgationDate")
    return {
        "issuer": text("From/OrganName"),
        "number": text("Code/CodeNumber"),
        "symbol": text("Code/CodeNotation"),
        "place": text("PromulgationInfo/Place"),
        "issued_date": date.replace("/", "-") if date else None,
        "doc_type": text("DocumentType/TypeName"),
        "summary": text("Subject"),
        "signer_name": text("SignerInfo/FullName"),
        "signer_position": text("SignerInfo/Position"),
        "recipients": [p.text or "" for p in message.iterfind(f"{_E}ToPlaces/{_E}Place")],
    }


def edxml_file_name(record: Record) -> str:
    return Path(record.source.path).name + ".edxml"


def write_edxml_files(catalog: Any, outdir: Path) -> int:
    """One ``NAME.edxml`` per catalog document under OUTDIR (names made unique); how many were written."""
    from sqlalchemy import select

    from pipeline.catalog.models import Document

    outdir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    count = 0
    with catalog.session() as session:
        for data in session.scalars(select(Document.record).order_by(Document.id)):
            record = Record.model_validate(data)
            name = edxml_file_name(record)
            if name in used:
                name = f"{Path(name).stem}-{record.source.sha256[:8]}.edxml"
            used.add(name)
            (outdir / name).write_bytes(record_to_edxml(record))
            count += 1
    return count
