"""What every published report says about its copyright and licence, and the document
metadata (author, subject, keywords) of its PDF and Word files.

HMI Prisons' reports (an IRP report, and Ofsted's findings published in HMI Prisons'
report) close with the Crown copyright notice and the Open Government Licence v3.0, with
the inspectorate's address; Ofsted's own report carries Ofsted's notice. The PDF prints it
as its last page and the Word export as its last section.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspectorate.reports.constants import ReportKind
from inspectorate.reports.documents import Document

OGL = (
    "This publication is licensed under the terms of the Open Government Licence v3.0 "
    "except where otherwise stated. To view this licence, visit "
    "nationalarchives.gov.uk/doc/open-government-licence/version/3 or write to the "
    "Information Policy Team, The National Archives, Kew, London TW9 4DU, or email: "
    "psi@nationalarchives.gov.uk."
)
THIRD_PARTY = (
    "Where we have identified any third party copyright information you will need to "
    "obtain permission from the copyright holders concerned."
)
HMIP_NOTICE = (
    OGL,
    THIRD_PARTY,
    "This publication is available for download at: www.justiceinspectorates.gov.uk/hmiprisons",
    "Any enquiries regarding this publication should be sent to us at: "
    "hmiprisons.enquiries@hmiprisons.gov.uk",
)
HMIP_ADDRESS = (
    "HM Inspectorate of Prisons",
    "3rd floor",
    "10 South Colonnade",
    "Canary Wharf",
    "London",
    "E14 4PU",
    "England",
)
OFSTED_NOTICE = (
    "You may reuse this information (not including logos) free of charge in any format or "
    "medium, under the terms of the Open Government Licence. To view this licence, visit "
    "nationalarchives.gov.uk/doc/open-government-licence/version/3, write to the "
    "Information Policy Team, The National Archives, Kew, London TW9 4DU, or email: "
    "psi@nationalarchives.gov.uk.",
    THIRD_PARTY,
    "This publication is available at www.gov.uk/government/organisations/ofsted.",
)
OFSTED_ADDRESS = (
    "The Office for Standards in Education, Children's Services and Skills (Ofsted)",
    "Piccadilly Gate",
    "Store Street",
    "Manchester",
    "M1 2WD",
)

HMIP = "HM Chief Inspector of Prisons"
OFSTED = "Ofsted"


@dataclass(frozen=True)
class Notice:
    """The copyright page: 'Crown copyright 2026', the licence, the publisher."""

    copyright: str
    paragraphs: tuple[str, ...]
    publisher_heading: str
    address: tuple[str, ...]


def notice(document: Document, year: int) -> Notice:
    if document.kind == ReportKind.OFSTED_REPORT:
        return Notice(
            f"\u00a9 Crown copyright {year}", OFSTED_NOTICE, "Published by:", OFSTED_ADDRESS
        )
    return Notice(
        f"\u00a9 Crown copyright {year}", HMIP_NOTICE, "Printed and published by:", HMIP_ADDRESS
    )


def authors(document: Document) -> list[str]:
    """Who the document is by, each properly cased ('HM Chief Inspector of Prisons'),
    for the Author metadata."""
    if document.kind == ReportKind.OFSTED_REPORT:
        return [OFSTED]
    if document.kind == ReportKind.OFSTED_FINDINGS:
        return [OFSTED, HMIP]
    return [HMIP]


def subject(document: Document) -> str:
    """The Subject metadata: what the document is about, where and when."""
    return f"{document.title}, {document.dates}"


def keywords(document: Document) -> list[str]:
    """The Keywords metadata (a comma splits them: none holds one)."""
    if document.kind == ReportKind.IRP_REPORT:
        topic = ["HM Inspectorate of Prisons", "independent review of progress"]
    else:
        topic = ["Ofsted", "HM Inspectorate of Prisons", "education", "skills", "work"]
    return [*topic, document.establishment.replace(",", "")]
