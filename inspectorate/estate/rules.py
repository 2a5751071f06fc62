"""Who may do what with establishments, providers and contracts (django-rules).

`estate.view_establishment_list` (staff) is declared in accounts/rules.py. Reading one
establishment follows `Establishment.objects.visible_to(user)`: staff see every one, an
establishment user only their own.
"""

from __future__ import annotations

from inspectorate.accounts.permissions import grant, permission
from inspectorate.accounts.roles import Duty

# The estate is kept by the people who keep the programme's record: the programme
# coordinator and system administrators.
permission(
    "estate.change_establishment",
    grant(Duty.RECORDS_HISTORY),
    text="Add and change establishments.",
)
permission(
    "estate.import_establishments",
    grant(Duty.RECORDS_HISTORY),
    text="Import establishments from a file.",
)
permission(
    "estate.export_establishments",
    grant(Duty.STAFF),
    text="Export the establishments.",
)
permission("estate.view_provider_list", grant(Duty.STAFF), text="Open the list of providers.")
permission(
    "estate.change_contract",
    grant(Duty.RECORDS_HISTORY),
    text="Add and change providers' contracts.",
)
