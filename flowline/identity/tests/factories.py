import factory

from flowline.core.roles import Role
from flowline.core.testing.factories import TenantFactory
from flowline.identity.models import ApiKey, Invitation, Membership, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password("Correct-Horse-42-battery")
    email_verified = True


class MembershipFactory(TenantFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR


class InvitationFactory(TenantFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.EDITOR


class ApiKeyFactory(TenantFactory):
    class Meta:
        model = ApiKey

    name = factory.Sequence(lambda n: f"key {n}")
    prefix = factory.Sequence(lambda n: f"p{n:010d}")
    hashed_secret = "0" * 64
    scopes = ["*:read"]
    created_by = factory.LazyAttribute(lambda o: o.account.owner)
