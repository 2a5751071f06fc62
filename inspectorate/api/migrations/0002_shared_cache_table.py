"""The cache table every server process shares (settings.CACHES): throttling counts must
be counted across all gunicorn workers, not per process."""

from typing import Any

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.RunPython(cache_table_create, migrations.RunPython.noop, elidable=False),
    ]
