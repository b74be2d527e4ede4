"""The JSON record: the contract with other systems.

Values keep the document's Vietnamese as printed; normalised forms sit beside them
(ISO dates, type codes). Every extracted value can be traced to the page text through
``Evidence`` (page number and character span into ``Record.text.pages[page - 1]``).

Bump ``SCHEMA_VERSION`` on any change a consumer could notice: minor for additions,
major for renames or removals.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.3.0"

Status = Literal["ok", "partial", "failed"]


class Model(BaseModel):
    # Every field is always written, so the published (serialization) schema requires them all.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Box(Model):
    """A rectangle on a page, in PDF points from the page's top-left corner (OCR'd pages too)."""

    x0: float
    top: float
    x1: float
    bottom: float


class Evidence(Model):
    page: int = Field(description="1-based page number")
    start: int = Field(description="character offset into the page's normalised text")
    end: int
    text: str = Field(description="the text at that span, as printed")
    boxes: list[Box] = Field(
        default_factory=list,
        description=(
            "the boxes of the page lines the span covers (PDF coordinates, OCR boxes on scans); "
            "empty for formats without layout (DOCX, DOC, RTF, HTML, TXT)"
        ),
    )


class Message(Model):
    code: str = Field(description="stable machine-readable code, e.g. 'pdf.encrypted'")
    message: str


class PageInfo(Model):
    number: int
    origin: Literal["layer", "ocr", "converted", "none"]
    quality: float | None = Field(None, description="share of valid Vietnamese syllables, 0..1")
    ocr_confidence: float | None = None
    encoding: str | None = Field(None, description="legacy encoding repaired on this page")
    width: float | None = Field(None, description="page width in PDF points; null without layout")
    height: float | None = Field(None, description="page height in PDF points; null without layout")


class Source(Model):
    path: str
    sha256: str
    bytes: int
    format: str = Field(description="format sniffed from the bytes: pdf, docx, doc, rtf, html, txt")
    pages: list[PageInfo] = []


class DocType(Model):
    name: str = Field(description="type name as in Decree 30, title case: 'Kế hoạch', 'Công văn'")
    code: str | None = Field(None, description="Decree 30 Appendix III code: 'KH', 'QĐ'; null for Công văn")


class TimeValue(Model):
    """A Vietnamese time expression, typed."""

    text: str = Field(description="as printed")
    kind: Literal["date", "month", "quarter", "half", "year", "range", "recurrence", "unknown"]
    value: str | None = Field(
        None,
        description=(
            "ISO 8601 / EDTF: 2023-09-30, 2023-09, 2023-35 (Q3), 2025-40 (H1), 2021/2025; null if none"
        ),
    )
    start: str | None = None
    end: str | None = None
    relation: Literal["before", "by", "from", "during", "on", "after"] | None = None
    recurrence: str | None = Field(None, description="'continuous', 'yearly', 'monthly', '2/year' ...")


class Signer(Model):
    name: str | None = None
    position: str | None = None
    authority: list[str] = []


class LegalBasis(Model):
    doc_type: str | None = None
    number_symbol: str | None = None
    date: str | None = None
    issuer: str | None = None
    text: str | None = Field(None, description="the whole citation as printed")


class Header(Model):
    doc_type: DocType | None = None
    number: str | None = None
    symbol: str | None = None
    issued_date: str | None = Field(None, description="YYYY-MM-DD, YYYY-MM or YYYY as printed")
    place: str | None = None
    issuer: str | None = None
    issuer_parent: str | None = None
    summary: str | None = None
    urgency: str | None = None
    confidentiality: str | None = None
    addressees: list[str] = []
    signer: Signer | None = None
    recipients: list[str] = []
    legal_bases: list[LegalBasis] = []
    evidence: dict[str, Evidence] = Field(
        default_factory=dict,
        description="field name (or 'recipients[3]') -> where the value was read",
    )


class Section(Model):
    label: str = Field(description="numbering as printed: 'I', '1', '1.1', 'a', '-'")
    title: str
    level: int
    children: list[Section] = []
    evidence: Evidence | None = None


class Target(Model):
    text: str
    value: float | None = None
    unit: str | None = None
    comparator: Literal["=", ">=", "<=", ">", "<", "top"] | None = None
    year: int | None = None
    period: TimeValue | None = None
    indicators: list[str] = Field(
        default_factory=list,
        description="for a ranking target, the indicators ranked: 'PAR Index', 'PCI', 'PAPI', 'SIPAS'",
    )
    section_path: list[str] = []
    evidence: Evidence | None = None


class Task(Model):
    text: str
    lead: list[str] = []
    cooperating: list[str] = []
    deadline: TimeValue | None = None
    output: str | None = None
    source: Literal["table", "prose", "organization"]
    section_path: list[str] = []
    evidence: Evidence | None = None


class Plan(Model):
    sections: list[Section] = []
    targets: list[Target] = []
    tasks: list[Task] = []
    issued_by: str | None = Field(
        None,
        description=(
            "for a plan annexed to another document, that document: 'Quyết định số 1627/QĐ-UBND' "
            "(null for a Kế hoạch of its own)"
        ),
    )


class Reference(Model):
    doc_type: str | None = None
    number_symbol: str | None = None
    date: str | None = None
    issuer: str | None = None
    text: str
    evidence: Evidence | None = None


class DocumentKind(Model):
    name: Literal["official", "article"] = Field(
        description=(
            "'official': a document in the Decree 30 layout; "
            "'article': a news item or web page about documents and meetings"
        )
    )
    cues: list[str] = Field(default_factory=list, description="what decided the kind, as found")
    evidence: Evidence | None = None


class Person(Model):
    name: str
    positions: list[str] = []
    body: str | None = Field(None, description="the body the person's position belongs to, as printed")
    evidence: Evidence | None = None


class Article(Model):
    """A web article's own fields (the record's ``document`` holds them in the gold shape too)."""

    headline: str | None = None
    published: str | None = Field(None, description="publication date printed on the page, ISO")
    event_date: str | None = Field(None, description="the date the lead reports, ISO")
    publisher: str | None = Field(None, description="the publishing unit printed in the article")
    persons: list[Person] = []


class Text(Model):
    pages: list[str] = Field(description="normalised text per page; evidence spans point here")


class Record(Model):
    schema_version: str = SCHEMA_VERSION
    pipeline_version: str
    source: Source
    status: Status
    warnings: list[Message] = []
    errors: list[Message] = []
    seconds: float | None = None
    kind: DocumentKind | None = None
    document: Header | None = None
    article: Article | None = None
    plan: Plan | None = None
    assignments: list[Task] = Field(
        default=[],
        description="work assigned by a document that is no plan (a letter, directive, meeting "
        "conclusion or telegram): its task-table rows and 'Giao Sở X chủ trì ...' items, read "
        "as a plan's tasks",
    )
    references: list[Reference] = []
    text: Text | None = None

    @property
    def tasks(self) -> list[Task]:
        """Every task the document assigns: a plan's (or an article's) and a letter's alike."""
        return [*(self.plan.tasks if self.plan is not None else []), *self.assignments]
