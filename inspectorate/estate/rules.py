"""Who may do what with establishments, providers and contracts (django-rules).

`estate.view_establishment_list` (staff) is declared in accounts/rules.py. Reading one
establishment follows `Establishment.objects.visible_to(user)`: staff see every one, an
establishment user only their own.
"""

from __future__ import annotations

from inspectorate.accounts.permissions import grant, permissions
from inspectorate.accounts.roles import Duty

# The estate is kept by the people who keep the programme's record: the programme
# coordinator and system administrators.
permissions(
    "estate",
    grant(Duty.RECORDS_HISTORY),
    change_establishment="Add and change establishments.",
    import_establishments="Import establishments from a file.",
    change_contract="Add and change providers' contracts.",
)
permissions(
    "estate",
    grant(Duty.STAFF),
    export_establishments="Export the establishments.",
    view_provider_list="Open the list of providers.",
)
