"""The factual-accuracy check in Word: the establishment marks up the exported draft with
Word comments and uploads it; each comment anchored on a numbered paragraph becomes a
factual-accuracy comment on that paragraph (RP-3), once the uploader has reviewed them.

Reading (`read_upload`) is separate from saving (`word_comments_save`): the review page
shows what was found, and the confirmation carries it back signed, so nothing is saved
from a file the uploader has not seen, and the file is never stored.

An upload is a stranger's file. It is refused, with the reason, when it is too large, not
a zip, a zip that unpacks to far more than it weighs, not a Word document, or not an export
of this report (the export's core properties name the report). Its XML is parsed by
python-docx's parser, which never resolves entities; a part that declares a DOCTYPE (no
Word document does) is refused before any parsing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from docx import Document as WordDocument
from docx.document import Document as WordFile
from docx.oxml.ns import qn

from inspectorate.reports import documents, docx_export, services
from inspectorate.reports.models import FactualAccuracyComment, Report

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PARTS = 1_000
MAX_COMMENTS = 500
SIGNING_SALT = "inspectorate.reports.word_comments"
REVIEW_MAX_AGE = 60 * 60  # seconds the review stays valid for confirming
VISIBLE_NUMBER = re.compile(r"^\s*(\d+\.\d+)\t")
DOCUMENT_PART = "word/document.xml"


class UploadRefused(ValueError):
    """The file cannot be read as this report's marked-up copy; the message says why."""


@dataclass(frozen=True)
class WordComment:
    """A comment found in the upload: the paragraph it is anchored on ('' when on no
    numbered paragraph), the text it marks, what it says, and why it cannot be kept."""

    paragraph: str
    quoted: str
    text: str
    author: str
    problem: str = ""  # why it cannot be sent
    note: str = ""  # what the uploader should check before sending it

    @property
    def usable(self) -> bool:
        return not self.problem


# Reading the upload ----------------------------------------------------------------------


def _check_package(content: bytes) -> None:
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"The file is {len(content) / 1024 / 1024:.1f} MB: it must be smaller than "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise UploadRefused("The file is not a Word document (.docx): it is not a zip package.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            entries = package.infolist()
            if len(entries) > MAX_PARTS:
                raise UploadRefused("The file has too many parts to be a Word document.")
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise UploadRefused(
                    "The file unpacks to more than "
                    f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB: it is not a report exported "
                    "from this service."
                )
            names = {entry.filename for entry in entries}
            if DOCUMENT_PART not in names or "[Content_Types].xml" not in names:
                raise UploadRefused("The file is a zip package but not a Word document (.docx).")
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    head = package.read(entry)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise UploadRefused(
                            "The file declares XML entities, which no Word document does: "
                            "it was refused unread."
                        )
    except zipfile.BadZipFile as error:
        raise UploadRefused("The file is damaged: its zip package cannot be read.") from error


def _open(content: bytes) -> WordFile:
    try:
        return WordDocument(io.BytesIO(content))
    except Exception as error:  # python-docx raises many kinds for a malformed package
        raise UploadRefused("The file is not a Word document that can be read.") from error


def _paragraph_number(paragraph: Any) -> str:
    """The numbered paragraph a Word paragraph is: its `para_3_12` bookmark, or failing
    that the number it starts with."""
    for bookmark in paragraph.iter(qn("w:bookmarkStart")):
        number = docx_export.number_of_bookmark(bookmark.get(qn("w:name"), ""))
        if number:
            return number
    # Tabs in runs count (the number is followed by one), not the tab stops of pPr.
    text = "".join(
        (node.text or "") if node.tag == qn("w:t") else "\t"
        for node in paragraph.iter(qn("w:t"), qn("w:tab"))
        if node.tag == qn("w:t") or node.getparent().tag == qn("w:r")
    )
    match = VISIBLE_NUMBER.match(text)
    return match.group(1) if match else ""


def _anchors(word: WordFile) -> dict[str, tuple[str, str]]:
    """Comment id -> (paragraph number, the text the comment marks), in one pass over the
    body in reading order. A comment belongs to the paragraph its range starts in (or,
    started between paragraphs, the next one)."""
    reader = _AnchorReader()
    for element in word.element.body.iter():
        reader.read(element)
    return reader.anchors()


class _AnchorReader:
    """The state of the pass of `_anchors` over the body."""

    def __init__(self) -> None:
        self.current = ""  # the number of the paragraph being read
        self.pending: list[str] = []  # comments started between paragraphs
        self.where: dict[str, str] = {}
        self.open_ranges: set[str] = set()
        self.quoted: dict[str, list[str]] = defaultdict(list)

    def read(self, element: Any) -> None:
        tag = element.tag
        if tag == qn("w:p"):
            self._paragraph(element)
        elif tag in (qn("w:commentRangeStart"), qn("w:commentReference")):
            self._comment_start(element)
        elif tag == qn("w:commentRangeEnd"):
            self.open_ranges.discard(element.get(qn("w:id"), ""))
        elif tag == qn("w:t"):
            for comment_id in self.open_ranges:
                self.quoted[comment_id].append(element.text or "")

    def _paragraph(self, element: Any) -> None:
        self.current = _paragraph_number(element)
        for comment_id in self.pending:
            self.where.setdefault(comment_id, self.current)
        self.pending.clear()

    def _comment_start(self, element: Any) -> None:
        comment_id = element.get(qn("w:id"), "")
        if element.tag == qn("w:commentRangeStart"):
            self.open_ranges.add(comment_id)
        inside = any(parent.tag == qn("w:p") for parent in element.iterancestors())
        if inside:
            self.where.setdefault(comment_id, self.current)
        elif comment_id not in self.where:
            self.pending.append(comment_id)

    def anchors(self) -> dict[str, tuple[str, str]]:
        return {
            comment_id: (number, " ".join("".join(self.quoted[comment_id]).split()))
            for comment_id, number in self.where.items()
        }


def _without_number(text: str, number: str) -> str:
    return text[len(number) :].strip() if number and text.startswith(number) else text


def read_upload(content: bytes, report: Report) -> list[WordComment]:
    """The comments of an uploaded marked-up copy of `report`, in the document's order, each
    mapped to its paragraph or marked with why it cannot be kept. UploadRefused when the
    file is not this report's export or holds no comment."""
    _check_package(content)
    word = _open(content)
    exported_from = word.core_properties.identifier or ""
    if exported_from != docx_export.identifier(report):
        raise UploadRefused(
            "The file is not a Word export of this report: download the draft from this "
            "service, add your comments to it in Word and upload that file."
        )
    comments = list(word.comments)
    if not comments:
        raise UploadRefused(
            "The file has no Word comments: add a comment (Review, New Comment) to each "
            "paragraph you want to comment on, save the file and upload it again."
        )
    if len(comments) > MAX_COMMENTS:
        raise UploadRefused(f"The file has more than {MAX_COMMENTS} comments.")
    anchors = _anchors(word)
    current = {
        p.number: " ".join(docx_export.paragraph_text(p).split())
        for p in documents.build(report).paragraphs()
    }
    found = []
    for comment in comments:
        number, quoted = anchors.get(str(comment.comment_id), ("", ""))
        quoted = _without_number(quoted, number)
        text = "\n\n".join(p.text.strip() for p in comment.paragraphs if p.text.strip())
        problem = note = ""
        if not number:
            problem = "It is not on a numbered paragraph: comment on a numbered paragraph."
        elif number not in current:
            problem = f"There is no paragraph {number} in the report now."
        elif not text:
            problem = "The comment is empty."
        elif quoted and quoted not in current[number]:
            note = (
                f"Paragraph {number} of the report no longer has the words the comment marks: "
                "the draft may have changed since you downloaded it."
            )
        found.append(
            WordComment(
                paragraph=number,
                quoted=quoted,
                text=text,
                author=comment.author or "",
                problem=problem,
                note=note,
            )
        )
    return found


# Carrying the review to the confirmation -------------------------------------------------


def sign(comments: list[WordComment], *, report: Report, actor: User) -> str:
    """The usable comments, signed for the confirmation form: bound to the report and the
    uploader, valid for REVIEW_MAX_AGE."""
    payload = {
        "report": report.pk,
        "actor": actor.pk,
        "comments": [asdict(c) for c in comments if c.usable],
    }
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def unsign(token: str, *, report: Report, actor: User) -> list[WordComment]:
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=REVIEW_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            "The review has expired: upload your marked-up copy again."
        ) from error
    except signing.BadSignature as error:
        raise ValidationError("The review could not be read: upload your copy again.") from error
    if payload.get("report") != report.pk or payload.get("actor") != actor.pk:
        raise ValidationError("The review is of another upload: upload your copy again.")
    return [WordComment(**values) for values in payload["comments"]]


# Saving ----------------------------------------------------------------------------------


def word_comments_save(
    *, actor: User, report: Report, comments: list[WordComment]
) -> list[FactualAccuracyComment]:
    """The reviewed comments become factual-accuracy comments on their paragraphs, all or
    none (RP-3). The quoted text leads each comment, so the team sees what it marks."""
    usable = [c for c in comments if c.usable]
    if not usable:
        raise ValidationError("There are no comments on numbered paragraphs to send.")
    with transaction.atomic():
        return [
            services.comment_submit(
                actor=actor,
                report=report,
                paragraph=comment.paragraph,
                text=_with_quote(comment),
            )
            for comment in usable
        ]


def _with_quote(comment: WordComment) -> str:
    if not comment.quoted:
        return comment.text
    return f"On \u201c{comment.quoted}\u201d: {comment.text}"
