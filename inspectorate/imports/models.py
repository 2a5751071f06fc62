"""Published reports taken in by the importer, and the records each one made (HI-2).

A `SourceDocument` keeps the file itself (its bytes, not a path: it is committed in the same
transaction as the records it made, and backed up with them) and is identified by the
SHA-256 of its content, so the same file imported twice is recognised. A newer version of
the same report (the same event, other content) points at the one it replaces.
A `SourceLink` ties one record the import made or confirmed back to the document, with the
page, line and paragraph it came from.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from inspectorate.audit.tracking import audited
from inspectorate.estate.models import Establishment
from inspectorate.lib.models import optional_link, user_link
from inspectorate.programme.models import Event


class DocumentKind(models.TextChoices):
    FULL = "full", "Full inspection report"
    IRP = "irp", "Independent review of progress report"


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    WORD = "docx", "Word"
    TEXT = "text", "Plain text"


@audited(exclude=["content"])
class SourceDocument(models.Model):
    """A published report imported here; the file as it was uploaded."""

    content = models.BinaryField(editable=False)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10, choices=FileFormat)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=DocumentKind)
    title = models.CharField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="source_documents"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="source_documents")
    supersedes = optional_link(
        "self",
        "superseded_by",
        help_text="The earlier version of the same report, when this one replaces it.",
    )
    imported_by = user_link()
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="source_document_sha256_hex",
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                violation_error_message="A document's hash is 64 hexadecimal digits.",
            )
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_current(self) -> bool:
        return not self.superseded_by.exists()


@audited()
class SourceLink(models.Model):
    """One record an import made (or found unchanged), and where in the document it is."""

    document = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    page = models.PositiveIntegerField()
    line = models.PositiveIntegerField(default=0)
    paragraph = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["document", "page", "line", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "content_type", "object_id"], name="source_link_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.document}, page {self.page}"

    @property
    def label(self) -> str:
        paragraph = f", paragraph {self.paragraph}" if self.paragraph else ""
        return f"Source: {self.document.filename}, page {self.page}{paragraph}"

    @classmethod
    def of(cls, record: models.Model) -> Any:
        """The links of one record, newest document first."""
        return cls.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ).select_related("document")
