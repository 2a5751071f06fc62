from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "inspectorate.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from inspectorate.audit import checks  # noqa: F401  (registers the deployment checks)
        from inspectorate.audit.context import install_on_migrate

        # After pghistory's own post_migrate handler (its app comes first in INSTALLED_APPS),
        # so that ours is the context function left installed.
        post_migrate.connect(install_on_migrate, sender=self, dispatch_uid="audit_context")
