import pytest

from flowline.identity.testing.fixtures import *  # noqa: F403


@pytest.fixture
def provider(settings):
    """A local OpenID Connect / OAuth 2.0 provider Flowline's social login points at, with
    one user (`social_login_support.NEW`)."""
    from flowline.identity.tests.social_login_support import NEW
    from flowline.sandbox.oidc.oidc_provider import ProviderUser, local_oidc_provider

    users = [ProviderUser(NEW, given_name="Nora", family_name="North")]
    with local_oidc_provider(users=users) as running:
        running.configure(settings)
        yield running
