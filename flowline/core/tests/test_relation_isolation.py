"""Generic over every serializer of the API: a relation field written with another
account's id is refused exactly like an id that does not exist (400 "does not exist"),
so a request can neither link to another tenant's row nor learn that it exists.

It needs nothing per field: relation fields (`PrimaryKeyRelatedField`,
`SlugRelatedField`, their `many=True` forms) and core `IdField`s that name what they
refer to (`refers_to=`) are found on every serializer class; the row to point at comes
from the target model's `TenantFactory` (core.testing.factories), or is the other
account's owner for a user relation.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from rest_framework import relations, serializers

from flowline.core.serializers import IdField
from flowline.core.tenancy import is_tenant_model, tenant_scope
from flowline.core.testing.factories import factory_for

importlib.import_module("config.urls")  # every API module, so every serializer is defined


def _serializer_classes():
    pending, seen = [serializers.Serializer], set()
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            pending.append(sub)
            module = sub.__module__
            if module.startswith("flowline.") and ".tests" not in module:
                yield sub


def _target(field):
    """The model a writable relation field points at, or None."""
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
    if isinstance(field, serializers.ListField):
        field = field.child
    if field.read_only:
        return None
    if isinstance(field, relations.RelatedField) and field.queryset is not None:
        return field.queryset.model
    if isinstance(field, IdField) and getattr(field, "refers_to", None):
        return apps.get_model(field.refers_to)
    return None


def _relation_fields():
    User = get_user_model()
    found = []
    with tenant_scope(0):  # querysets are only described here, never run
        for cls in sorted(_serializer_classes(), key=lambda c: (c.__module__, c.__qualname__)):
            try:
                fields = cls().fields
            except Exception:
                continue
            for name, field in fields.items():
                model = _target(field)
                if model is not None and (is_tenant_model(model) or model is User):
                    found.append(
                        pytest.param(
                            cls, name, model, id=f"{cls.__module__}.{cls.__qualname__}.{name}"
                        )
                    )
    return found


RELATION_FIELDS = _relation_fields()


def test_the_suite_sees_the_relation_fields_it_guards():
    names = {param.id for param in RELATION_FIELDS}
    assert "flowline.chat.api.serializers.ConversationSerializer.assigned_to" in names
    assert "flowline.drives.api.serializers.ChosenFileInput.process_id" in names
    assert len(names) > 50


def _row_of(model, member):
    if model is get_user_model():
        return member.user
    factory = factory_for("", model)
    assert factory is not None, f"No TenantFactory for {model.__name__}"
    return factory(account=member.account)


def _value(field, row, many):
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
    value = (
        getattr(row, field.slug_field) if isinstance(field, relations.SlugRelatedField) else row.pk
    )
    return [value] if many else value


def _codes(field, value):
    """The validation codes for `value`, or None when it is accepted."""
    try:
        field.run_validation(value)
    except serializers.ValidationError as exc:
        return exc.get_codes()
    return None


@pytest.mark.django_db
@pytest.mark.parametrize(("serializer_class", "name", "model"), RELATION_FIELDS)
def test_another_accounts_id_in_a_relation_field_is_refused_like_an_unknown_id(
    serializer_class, name, model, owner, other_owner
):
    # given: a row the owner may link to, and one of the same kind in another account
    mine = _row_of(model, owner)
    foreign = _row_of(model, other_owner)
    unknown = model._base_manager.order_by("-pk").values_list("pk", flat=True).first() + 1000

    with tenant_scope(owner.account_id, user_id=owner.user.id, role=owner.membership.role):
        field = serializer_class().fields[name]
        many = isinstance(field, (relations.ManyRelatedField, serializers.ListField))
        # when
        refused = _codes(field, _value(field, foreign, many))
        accepted = _codes(field, _value(field, mine, many))
        missing = _codes(field, [unknown] if many else unknown)

    # then: refused, with the same answer as an id that does not exist
    assert refused is not None, f"{serializer_class.__name__}.{name} accepted a foreign id"
    assert refused == missing
    assert accepted is None, accepted  # the field works: it is the tenancy that refuses
