import factory

from flowline.agents.models import AgentProcess, DataSource
from flowline.ai.tests.factories import AIAgentFactory
from flowline.core.testing.factories import TenantFactory


class AgentProcessFactory(TenantFactory):
    class Meta:
        model = AgentProcess

    agent = factory.SubFactory(AIAgentFactory, account=factory.SelfAttribute("..account"))
    name = factory.Sequence(lambda n: f"Process {n}")


class DataSourceFactory(TenantFactory):
    class Meta:
        model = DataSource

    process = factory.SubFactory(AgentProcessFactory, account=factory.SelfAttribute("..account"))
    platform = "google_drive"
    resource_identifier = factory.Sequence(lambda n: f"file-{n}")
    resource_name = "Leads.xlsx"
