import factory

from flowline.core.testing.factories import TenantFactory
from flowline.webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointFactory(TenantFactory):
    class Meta:
        model = WebhookEndpoint

    url = factory.Sequence(lambda n: f"https://hooks{n}.example.com/flowline")
    secret = "whsec_test"
    event_types = ["*"]


class WebhookDeliveryFactory(TenantFactory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(
        WebhookEndpointFactory, account=factory.SelfAttribute("..account")
    )
    event_type = "ping"
    payload = factory.LazyFunction(dict)
    status = "failed"
