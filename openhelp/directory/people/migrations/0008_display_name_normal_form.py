"""Names in one normal form, with nothing invisible (lib.display_names): the field, then existing rows."""

from django.db import migrations

import openhelp.platform.lib.display_names
BATCH = 1000


def sanitise_existing_names(apps, schema_editor):
    Profile = apps.get_model("people", "Profile")
    rows = Profile.objects.values_list("pk", "display_name", "user__email").order_by("pk")
    changed = []
    for pk, name, email in rows.iterator(chunk_size=BATCH):
        clean = (openhelp.platform.lib.display_names.sanitise_display_name(name) or email.split("@")[0])[:80]
        if clean != name:
            changed.append(Profile(pk=pk, display_name=clean))
    Profile.objects.bulk_update(changed, ["display_name"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_skill_offer_fit_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="profile",
            name="display_name",
            field=openhelp.platform.lib.display_names.DisplayNameField(db_index=True, max_length=80),
        ),
        migrations.RunPython(sanitise_existing_names, migrations.RunPython.noop, elidable=True),
    ]
