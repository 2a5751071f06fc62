"""Every API token expires: tokens issued without an expiry get the default lifetime from
the day of this upgrade, so no system stops without warning; then the column is required."""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

HELP = "When the token stops working; every token expires (services.MAX_LIFETIME)."
UPGRADE_LIFETIME = timedelta(days=90)


def give_every_token_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + UPGRADE_LIFETIME
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_shared_cache_table"),
    ]

    operations = [
        migrations.RunPython(give_every_token_an_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(help_text=HELP),
        ),
        # The audit events are append-only: those recorded before this upgrade keep their
        # empty expiry, so the column stays nullable in the database.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="apitokenevent",
                    name="expires_at",
                    field=models.DateTimeField(help_text=HELP),
                ),
            ],
        ),
    ]
