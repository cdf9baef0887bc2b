"""The payment lists cost the same number of queries for 3 rows as for 30."""

import pytest

from flowline.billing.tests.factories import InvoiceFactory, PaymentFactory, PaymentMethodFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _payments_with_invoices(account, rows):
    for payment in PaymentFactory.create_batch(rows, account=account):
        InvoiceFactory(account=account, payment=payment)


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("path", "make", "queries"),
    [
        # membership lookup, count, page (invoices joined to payments)
        ("billing/payments/", _payments_with_invoices, 3),
        (
            "billing/invoices/",
            lambda account, rows: InvoiceFactory.create_batch(rows, account=account),
            3,
        ),
        (
            "billing/payment-methods/",
            lambda account, rows: PaymentMethodFactory.create_batch(rows, account=account),
            3,
        ),
    ],
)
def test_account_lists_query_count_does_not_grow_with_rows(
    owner, rows, path, make, queries, django_assert_num_queries
):
    # given
    make(owner.account, rows)

    # when / then
    with django_assert_num_queries(queries):
        response = owner.client.get(f"{API}/{path}", {"page_size": 100})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_staff_payment_list_query_count_does_not_grow_with_rows(
    owner, staff, rows, django_assert_num_queries
):
    # given
    _payments_with_invoices(owner.account, rows)

    # when / then: membership lookup, count, page (invoices joined)
    with django_assert_num_queries(3):
        response = staff.client.get(f"{API}/admin/billing/payments/", {"page_size": 100})
    assert response.json()["count"] == rows


def test_credit_package_list_query_count(owner, django_assert_num_queries):
    # when / then: membership lookup, count, page
    with django_assert_num_queries(3):
        response = owner.client.get(f"{API}/billing/credit-packages/")
    assert response.json()["count"] == 3
