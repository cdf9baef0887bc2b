import factory

from flowline.core.testing.factories import TenantFactory, for_endpoint
from flowline.jobs.models import Job


class JobFactory(TenantFactory):
    class Meta:
        model = Job

    kind = "test.steps"
    payload = factory.LazyFunction(dict)


@for_endpoint("agenttask")
class AgentJobFactory(JobFactory):
    kind = "agent.process_file"
