"""On PostgreSQL: no two held slots of a mentor and no two confirmed bookings of a mentee overlap.

A no-op on SQLite, where the unique indexes of 0001 and the write lock are the guarantees.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from openhelp.help.officehours.db_constraints import add_exclusions

    add_exclusions(schema_editor.connection)


def backwards(apps, schema_editor):
    from openhelp.help.officehours.db_constraints import drop_exclusions

    drop_exclusions(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("officehours", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
