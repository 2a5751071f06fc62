"""The upload page and download response every CSV import and export uses (the estate,
inspectors, programme and open-data screens, below the imports app)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from inspectorate.lib.csvio import Column, ImportRejected, ImportResult
from inspectorate.lib.downloads import download

Importer = Callable[..., ImportResult]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )


def csv_import_page(
    request: HttpRequest,
    *,
    title: str,
    columns: Sequence[Column],
    importer: Importer,
    back_url: str,
) -> HttpResponse:
    """Show the upload form; import on POST, listing every bad row or redirecting on success."""
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = importer(actor=request.user, data=form.cleaned_data["file"].read())
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, f"File imported. {result.summary}")
            return redirect(back_url)
    context = {"title": title, "form": form, "columns": columns, "row_errors": errors}
    status = 400 if errors else 200
    return render(request, "imports/import.html", context, status=status)


def csv_download(filename: str, text: str) -> HttpResponse:
    return download(filename, text, "text/csv; charset=utf-8")
