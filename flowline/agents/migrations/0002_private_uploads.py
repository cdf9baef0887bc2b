"""Uploaded data sources become private files (issue 19): existing ones are moved out of
the public media folder into the private storage under random names.

Each file is copied first and its row re-pointed; the public copy is deleted only once
the migration's transaction has committed, so a failed migration leaves every row
pointing at a file that exists. A row whose file is missing everywhere is left as is.
Reversing copies the files back to the public storage under their new names.
"""

from django.core.files.storage import storages
from django.db import migrations, models, transaction

import flowline.agents.models
import flowline.core.private_files


def _copy(source, target, name: str, new_name: str) -> str:
    with source.open(name, "rb") as handle:
        return target.save(new_name, handle)


def to_private(apps, schema_editor):
    DataSource = apps.get_model("agents", "DataSource")
    public, private = storages["default"], storages["private"]
    moved = []
    for row in DataSource.objects.exclude(upload="").only(
        "id", "account_id", "upload", "resource_name"
    ):
        old = row.upload.name
        if private.exists(old) or not public.exists(old):
            continue
        basename = old.rsplit("/", 1)[-1]
        extension = basename.rsplit(".", 1)[-1] if "." in basename else "bin"
        new = flowline.core.private_files.random_name(f"agent-uploads/{row.account_id}", extension)
        new = _copy(public, private, old, new)
        DataSource.objects.filter(id=row.id).update(
            upload=new, resource_name=row.resource_name or basename[:300]
        )
        moved.append(old)
    if moved:
        transaction.on_commit(lambda: [public.delete(name) for name in moved])


def to_public(apps, schema_editor):
    DataSource = apps.get_model("agents", "DataSource")
    public, private = storages["default"], storages["private"]
    for row in DataSource.objects.exclude(upload="").only("id", "upload"):
        name = row.upload.name
        if private.exists(name) and not public.exists(name):
            stored = _copy(private, public, name, name)
            DataSource.objects.filter(id=row.id).update(upload=stored)


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="datasource",
            name="upload",
            field=models.FileField(
                blank=True,
                editable=False,
                max_length=255,
                storage=flowline.core.private_files.private_storage,
                upload_to=flowline.agents.models.upload_to,
            ),
        ),
        migrations.RunPython(to_private, to_public),
    ]
