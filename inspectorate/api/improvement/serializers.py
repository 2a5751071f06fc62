"""Request and response bodies of the improvement case actions (TM-4, SC-2..SC-7)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspectorate.api.fieldwork.serializers import kind_field
from inspectorate.api.serializers import ImprovementCaseSerializer, KindAsText, optional_text
from inspectorate.improvement.constants import ContactKind, SupportOption
from inspectorate.improvement.models import Contact, Letter, PriorityAction
from inspectorate.improvement.services import CASE_DETAIL_FIELDS


class AssignHmiInput(serializers.Serializer):
    hmi = serializers.IntegerField(help_text="The user id of an improvement HMI.")
    reason = optional_text("Why, when they inspected the last or next inspection (TM-4).")


class ActionInputSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=2000)
    owner = serializers.CharField(max_length=200, allow_blank=True)
    due_on = serializers.DateField(allow_null=True)


class ContactInput(serializers.Serializer):
    kind = kind_field(ContactKind)
    held_on = serializers.DateField()
    notes = optional_text(max_length=20000)
    actions = ActionInputSerializer(many=True, required=False, default=list)
    support = serializers.ListField(
        child=serializers.ChoiceField(choices=SupportOption.choices), required=False, default=list
    )
    other_support = optional_text(max_length=300)
    window_reason = optional_text(
        "Why a visit falls outside its window, when the API warns it does."
    )


class PriorityActionSerializer(serializers.ModelSerializer[PriorityAction]):
    class Meta:
        model = PriorityAction
        fields = ["id", "action", "owner", "due_on", "status", "done_on", "version"]
        read_only_fields = ["id", "status", "done_on", "version"]


class ContactSerializer(KindAsText, serializers.ModelSerializer[Contact]):
    actions = PriorityActionSerializer(many=True, read_only=True)
    support: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Contact
        fields = ["id", "case", "kind", "held_on", "notes", "actions", "support", "version"]


class InsufficientProgressInput(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, max_length=20000)


class LetterSerializer(serializers.ModelSerializer[Letter]):
    case = serializers.IntegerField(source="contact.case_id", read_only=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "case",
            "contact",
            "addressed_to",
            "copied_to",
            "body",
            "status",
            "factual_check_on",
            "sent_on",
            "version",
        ]


class LetterDraftInput(serializers.Serializer):
    body = optional_text(max_length=50000)


class LetterCreateInput(LetterDraftInput):
    contact = serializers.IntegerField(help_text="The id of a visit of the case.")


class LetterCheckInput(serializers.Serializer):
    on = serializers.DateField(help_text="When the provider checked it for factual accuracy.")


class LetterSendInput(serializers.Serializer):
    sent_on = serializers.DateField(required=False, allow_null=True, default=None)


# What only the case's improvement HMI reads and writes -----------------------------------


class CaseForHmiSerializer(ImprovementCaseSerializer):
    """A case as its improvement HMI sees it on the screens: who the letters go to and are
    copied to (SC-4, SC-5), and any request to bring the re-inspection forward (SC-7)."""

    class Meta(ImprovementCaseSerializer.Meta):
        fields = [
            *ImprovementCaseSerializer.Meta.fields,
            *CASE_DETAIL_FIELDS,
            "bring_forward_requested_on",
            "bring_forward_reason",
        ]


def _detail(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=help_text
    )


class CaseDetailsInput(serializers.Serializer):
    """Any of the fields; those left out keep their value."""

    addressee = _detail(
        "Letters go to: the governor or director (prisons), or the principal or chief "
        "executive (FE)."
    )
    addressee_name = _detail(
        "Their name, for the letter's greeting; without it the letter opens 'Dear Governor' "
        "(prisons) or 'Dear Principal' (FE)."
    )
    learning_provider = _detail("The learning provider (prisons: copied in).")
    funding_body = _detail("The funding body (prisons: copied in).")
    funding_body_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Told of insufficient progress (SC-5)."
    )
    commissioning_head = _detail("The commissioning head (prisons: copied in).")
    commissioning_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Told of insufficient progress (SC-5)."
    )


class BringForwardInput(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True,
        max_length=20000,
        help_text="Why the re-inspection should be brought forward (SC-7).",
    )


class LetterTextSerializer(serializers.Serializer):
    contact = serializers.IntegerField(help_text="The visit.")
    body = serializers.CharField(
        help_text="The first draft of its letter, from the administrator's template (SC-4)."
    )


class ContactQuery(serializers.Serializer):
    contact = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
