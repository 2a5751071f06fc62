"""Who may do what with establishments, providers and contracts (django-rules).

`estate.view_establishment_list` (staff) is declared in accounts/rules.py. Reading one
establishment follows `Establishment.objects.visible_to(user)`: staff see every one, an
establishment user only their own.
"""

from __future__ import annotations

import rules

from inspectorate.accounts.roles import Role
from inspectorate.accounts.rules import has_role, is_staff_member

is_estate_manager = has_role(Role.HMIP_COORDINATOR, Role.SYSTEM_ADMINISTRATOR)

rules.add_perm("estate.change_establishment", is_estate_manager)
rules.add_perm("estate.import_establishments", is_estate_manager)
rules.add_perm("estate.export_establishments", is_staff_member)
rules.add_perm("estate.view_provider_list", is_staff_member)
rules.add_perm("estate.change_contract", is_estate_manager)
