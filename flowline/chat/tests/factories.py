import factory

from flowline.chat.models import ChannelConnection, Conversation
from flowline.core.testing.factories import TenantFactory


class ConversationFactory(TenantFactory):
    class Meta:
        model = Conversation

    channel = "web"
    customer_handle = factory.Sequence(lambda n: f"visitor-{n}")
    customer_name = factory.Sequence(lambda n: f"Customer {n}")


class ChannelConnectionFactory(TenantFactory):
    class Meta:
        model = ChannelConnection

    channel = "whatsapp"
    external_id = factory.Sequence(lambda n: f"10{n:08d}")
