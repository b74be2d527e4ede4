"""The catalog: records of a batch in a relational database, and the questions archivists ask of it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Select, and_, func, literal, or_, select, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.sql.expression import FunctionElement

from pipeline.catalog import duplicates, links
from pipeline.catalog.db import catalog_url, make_engine, migrate
from pipeline.catalog.keys import code_key, quarter_bounds, text_key
from pipeline.catalog.load import LoadSummary, load_records, read_records
from pipeline.catalog.models import Document, Reference, TaskBody, TaskRow
from pipeline.record.models import Record

Row = dict[str, Any]


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: Any, value: str) -> ColumnElement[bool]:
    """``column`` (a folded key) contains the folded ``value``: a plain substring search, case
    folding being done already (SQLite: LIKE with case-sensitive matching; PostgreSQL: strpos,
    twice as fast as its LIKE over long UTF-8 texts)."""
    key = text_key(value) or ""
    return _has_substring(column, literal(key), literal(_like(key)))


class _has_substring(FunctionElement[bool]):
    """column, substring, LIKE pattern of the substring -> the column contains the substring."""

    inherit_cache = True
    type = Boolean()


def document_label(doc: Document) -> str:
    """How a document is named in tables: its number and symbol, else its symbol and date, else its file."""
    return _label(doc)


class Catalog:
    """A catalog on an SQLAlchemy URL (or an SQLite file path); the schema is migrated on open."""

    def __init__(self, url: str | Path) -> None:
        self.url = catalog_url(url)
        self.engine = make_engine(self.url)
        migrate(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- loading -------------------------------------------------------------------------------

    def load(self, records: Iterable[Record | tuple[Record, str | None]]) -> LoadSummary:
        """Load records (optionally with the record file each came from), then relink the catalog."""
        pairs = (item if isinstance(item, tuple) else (item, None) for item in records)
        with self.sessions.begin() as session:
            summary = load_records(session, pairs)
            self._refresh(session)
        return summary

    def load_folder(self, outdir: Path) -> LoadSummary:
        """Load every record an ``extract`` wrote under OUTDIR."""
        summary = LoadSummary()
        with self.sessions.begin() as session:
            loaded = load_records(session, read_records(outdir, summary))
            self._refresh(session)
        loaded.unreadable = summary.unreadable
        return loaded

    def _refresh(self, session: Session) -> None:
        session.flush()
        # What follows runs bulk statements: the loaded objects need not be kept in step with them.
        session.expunge_all()
        self._group_duplicates(session)
        self._resolve_references(session)

    def _group_duplicates(self, session: Session) -> None:
        columns = (
            Document.id,
            Document.minhash,
            Document.number_symbol_key,
            Document.issued_date,
            Document.summary_key,
        )
        missing = session.execute(
            select(Document.id, Document.text_key).where(
                Document.minhash.is_(None), Document.text_key.is_not(None)
            )
        ).all()
        for row in missing:
            found = duplicates.shingles(row.text_key, folded=True)
            if len(found) >= duplicates.MIN_SHINGLES:
                session.execute(
                    update(Document).where(Document.id == row.id).values(minhash=duplicates.signature(found)),
                    execution_options={"synchronize_session": False},
                )
        items = [
            duplicates.Item(
                key=row.id,
                signature=row.minhash,
                number_symbol=row.number_symbol_key,
                issued_date=row.issued_date,
                summary=row.summary_key,
            )
            for row in session.execute(select(*columns).where(Document.minhash.is_not(None)))
        ]

        def shingles_of(key: int) -> set[str]:
            text = session.scalar(select(Document.text_key).where(Document.id == key))
            return duplicates.shingles(text or "", folded=True)

        groups = duplicates.find_groups(items, shingles_of)
        unsynchronized = {"synchronize_session": False}
        session.execute(
            update(Document).values(duplicate_group=None, duplicate_similarity=None),
            execution_options=unsynchronized,
        )
        for keys, similarity in groups:
            session.execute(
                update(Document)
                .where(Document.id.in_(keys))
                .values(duplicate_group=keys[0], duplicate_similarity=round(similarity, 3)),
                execution_options=unsynchronized,
            )

    def _resolve_references(self, session: Session) -> None:
        candidates: dict[str, list[links.Candidate]] = {}
        for doc in session.execute(
            select(
                Document.id,
                Document.number_symbol_key,
                Document.issued_date,
                Document.issuer,
                Document.place,
                Document.duplicate_group,
                Document.status,
                Document.number,
            ).where(Document.number_symbol_key.is_not(None))
        ):
            candidates.setdefault(doc.number_symbol_key, []).append(
                links.Candidate(
                    id=doc.id,
                    issued_date=doc.issued_date,
                    issuer=doc.issuer,
                    place=doc.place,
                    duplicate_group=doc.duplicate_group,
                    status=doc.status,
                    has_number=bool(doc.number),
                )
            )
        updates: list[dict[str, Any]] = []
        for ref in session.execute(
            select(
                Reference.id,
                Reference.document_id,
                Reference.number_symbol_key,
                Reference.date,
                Reference.issuer,
                Reference.resolved_id,
            )
        ):
            found = None
            if ref.number_symbol_key in candidates:
                others = [c for c in candidates[ref.number_symbol_key] if c.id != ref.document_id]
                chosen = links.choose(others, ref.date, ref.issuer)
                found = chosen.id if chosen else None
            if found != ref.resolved_id:
                updates.append({"id": ref.id, "resolved_id": found})
        if updates:
            session.execute(update(Reference), updates)

    # ---- queries -------------------------------------------------------------------------------

    def tasks(
        self,
        *,
        body: str | None = None,
        lead: str | None = None,
        cooperating: str | None = None,
        due_before: str | None = None,
        due_after: str | None = None,
        quarter: str | None = None,
        overdue_on: str | date | None = None,
        text: str | None = None,
        source: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Plan tasks; body filters match a part of a lead or cooperating body's name (folded)."""
        query: Select[Any] = select(*_TASK_COLUMNS, *_LABEL_COLUMNS).join(Document)
        for role, name in (("lead", lead), ("cooperating", cooperating), (None, body)):
            if name:
                bodies = select(TaskBody.task_id).where(_contains(TaskBody.name_key, name))
                if role:
                    bodies = bodies.where(TaskBody.role == role)
                query = query.where(TaskRow.id.in_(bodies))
        if quarter:
            first, last = quarter_bounds(quarter)
            query = query.where(TaskRow.deadline_due >= first, TaskRow.deadline_due <= last)
        if due_before:
            query = query.where(TaskRow.deadline_due <= due_before)
        if due_after:
            query = query.where(TaskRow.deadline_due >= due_after)
        if overdue_on:
            query = query.where(TaskRow.deadline_due < str(overdue_on))
        if text:
            query = query.where(_contains(TaskRow.text_key, text))
        if source:
            query = query.where(_document_matches(source))
        query = query.order_by(
            TaskRow.deadline_due.is_(None), TaskRow.deadline_due, Document.id, TaskRow.position
        )
        if limit:
            query = query.limit(limit)
        with self.sessions() as session:
            return [_task_row(row) for row in session.execute(query)]

    def documents(
        self,
        *,
        doc_type: str | None = None,
        issuer: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        text: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Documents by type (name or code), issuer (part of the name), issued date range and text."""
        query: Select[Any] = select(*_DOCUMENT_COLUMNS)  # type: ignore[assignment]
        if doc_type:
            with self.sessions() as session:
                types = session.execute(select(Document.doc_type, Document.doc_type_code).distinct()).all()
            wanted = text_key(doc_type)
            names = {
                name
                for name, code in types
                if name and (text_key(name) == wanted or text_key(code) == wanted)
            }
            query = query.where(Document.doc_type.in_(names))
        if issuer:
            query = query.where(_contains(Document.issuer_key, issuer))
        # A partial date ('2026-03') is compared with the bound's same-length prefix.
        if date_from:
            query = query.where(
                func.substr(date_from, 1, func.length(Document.issued_date)) <= Document.issued_date
            )
        if date_to:
            query = query.where(
                func.substr(date_to, 1, func.length(Document.issued_date)) >= Document.issued_date
            )
        if text:
            query = query.where(
                or_(_contains(Document.summary_key, text), _contains(Document.text_key, text))
            )
        query = query.order_by(Document.issued_date.is_(None), Document.issued_date, Document.id)
        if limit:
            query = query.limit(limit)
        with self.sessions() as session:
            return [_document_row(row) for row in session.execute(query)]

    def links(self, number_symbol: str) -> Row:
        """What the document NUMBER/SYMBOL cites and which catalog documents cite it."""
        key = code_key(number_symbol)
        with self.sessions() as session:
            docs = session.scalars(
                select(Document)
                .where(Document.number_symbol_key == key)
                .options(selectinload(Document.references))
                .order_by(Document.id)
            ).all()
            ids = [doc.id for doc in docs]
            resolved_docs = {
                doc.id: doc
                for doc in session.scalars(
                    select(Document).where(
                        Document.id.in_(
                            select(Reference.resolved_id).where(
                                Reference.document_id.in_(ids), Reference.resolved_id.is_not(None)
                            )
                        )
                    )
                )
            }
            cites = [
                {
                    "from": document_label(doc),
                    "text": ref.text,
                    "number_symbol": ref.number_symbol,
                    "date": ref.date,
                    "page": ref.page,
                    "resolved": _brief(resolved_docs[ref.resolved_id]) if ref.resolved_id else None,
                }
                for doc in docs
                for ref in doc.references
            ]
            citing = session.execute(
                select(Reference, Document)
                .join(Document, Reference.document_id == Document.id)
                .where(or_(Reference.resolved_id.in_(ids), Reference.number_symbol_key == key))
                .order_by(Document.issued_date, Document.id, Reference.position)
            ).all()
            cited_by = [
                {
                    **_brief(doc),
                    "text": ref.text,
                    "page": ref.page,
                    "resolved": ref.resolved_id in ids if ids else False,
                }
                for ref, doc in citing
                if doc.id not in ids
            ]
            return {
                "number_symbol": number_symbol,
                "documents": [_brief(doc) for doc in docs],
                "cites": cites,
                "cited_by": cited_by,
            }

    def duplicates(self) -> list[list[Row]]:
        """Groups of files that are the same document."""
        query = (
            select(
                *_LABEL_COLUMNS,
                Document.doc_type,
                Document.issuer,
                Document.summary,
                Document.duplicate_group,
                Document.duplicate_similarity,
            )
            .where(Document.duplicate_group.is_not(None))
            .order_by(Document.duplicate_group, Document.id)
        )
        groups: dict[int, list[Row]] = {}
        with self.sessions() as session:
            for row in session.execute(query):
                groups.setdefault(row.duplicate_group, []).append(
                    {**_brief(row), "similarity": row.duplicate_similarity}
                )
        return list(groups.values())

    def count(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count(Document.id))) or 0

    def session(self) -> Session:
        """A session for queries of one's own on the models of ``pipeline.catalog.models``."""
        return self.sessions()


@compiles(_has_substring)
def _has_substring_default(element: _has_substring, compiler: Any, **kw: Any) -> str:
    column, _key, pattern = list(element.clauses)
    return f"({compiler.process(column, **kw)} LIKE {compiler.process(pattern, **kw)} ESCAPE '\\')"


@compiles(_has_substring, "postgresql")
def _has_substring_postgresql(element: _has_substring, compiler: Any, **kw: Any) -> str:
    column, key, _pattern = list(element.clauses)
    return f"(strpos({compiler.process(column, **kw)}, {compiler.process(key, **kw)}) > 0)"


def open_catalog(url: str | Path) -> Catalog:
    return Catalog(url)


def _document_matches(source: str) -> ColumnElement[bool]:
    """A document named by its number and symbol, its sha256 or a part of its file path."""
    return or_(
        Document.number_symbol_key == code_key(source),
        Document.sha256 == source.lower(),
        and_(Document.path.like(_like(source), escape="\\")),
    )


def _brief(doc: Any) -> Row:
    return {
        "document": _label(doc),
        "doc_type": doc.doc_type,
        "issued_date": doc.issued_date,
        "issuer": doc.issuer,
        "summary": doc.summary,
        "path": doc.path,
        "sha256": doc.sha256,
    }


_LABEL_COLUMNS = (
    Document.id.label("doc_id"),
    Document.number_symbol,
    Document.symbol,
    Document.issued_date,
    Document.path,
    Document.sha256,
)
_DOCUMENT_COLUMNS = (
    *_LABEL_COLUMNS,
    Document.doc_type,
    Document.number,
    Document.issuer,
    Document.summary,
    Document.status,
    Document.pages,
    Document.duplicate_group,
)
_TASK_COLUMNS = (
    TaskRow.text,
    TaskRow.lead,
    TaskRow.cooperating,
    TaskRow.deadline_text,
    TaskRow.deadline_due,
    TaskRow.output,
    TaskRow.section_path,
    TaskRow.page,
)


def _label(row: Any) -> str:
    if row.number_symbol:
        return str(row.number_symbol)
    if row.symbol:
        return f"…/{row.symbol} ({row.issued_date or 'no date'})"
    return Path(row.path).name


def _document_row(row: Any) -> Row:
    return {
        "document": _label(row),
        "doc_type": row.doc_type,
        "number": row.number,
        "symbol": row.symbol,
        "issued_date": row.issued_date,
        "issuer": row.issuer,
        "summary": row.summary,
        "status": row.status,
        "pages": row.pages,
        "path": row.path,
        "sha256": row.sha256,
        "duplicate_group": row.duplicate_group,
    }


def _task_row(row: Any) -> Row:
    return {
        "document": _label(row),
        "task": row.text,
        "lead": row.lead,
        "cooperating": row.cooperating,
        "deadline": row.deadline_text,
        "due": row.deadline_due,
        "output": row.output,
        "section": " › ".join(row.section_path),
        "page": row.page,
        "path": row.path,
        "sha256": row.sha256,
    }
