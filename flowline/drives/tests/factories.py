import factory

from flowline.core.testing.factories import TenantFactory
from flowline.drives.models import CloudConnection, SavedCloudFile


class CloudConnectionFactory(TenantFactory):
    """A connection of the account's owner (connections are listed to their user only)."""

    class Meta:
        model = CloudConnection

    user = factory.LazyAttribute(lambda o: o.account.owner)
    provider = "google_drive"
    access_token = factory.Sequence(lambda n: f"ya29-access-{n}")
    refresh_token = factory.Sequence(lambda n: f"ya29-refresh-{n}")
    account_email = "someone@example.com"


class SavedCloudFileFactory(TenantFactory):
    class Meta:
        model = SavedCloudFile

    user = factory.LazyAttribute(lambda o: o.account.owner)
    provider = "google_drive"
    file_id = factory.Sequence(lambda n: f"gdfile{n}")
    name = factory.Sequence(lambda n: f"File {n}.xlsx")
    mime_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
