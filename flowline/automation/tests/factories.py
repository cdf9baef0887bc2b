import factory

from flowline.automation.models import AutomationConfig, AutomationLog, AutomationRun
from flowline.core.testing.factories import TenantFactory
from flowline.sites.tests.factories import SiteFactory


class AutomationConfigFactory(TenantFactory):
    class Meta:
        model = AutomationConfig

    site = factory.SubFactory(SiteFactory, account=factory.SelfAttribute("..account"))


class AutomationRunFactory(TenantFactory):
    class Meta:
        model = AutomationRun

    site = factory.SubFactory(SiteFactory, account=factory.SelfAttribute("..account"))
    status = AutomationRun.Status.COMPLETED


class AutomationLogFactory(TenantFactory):
    class Meta:
        model = AutomationLog

    run = factory.SubFactory(AutomationRunFactory, account=factory.SelfAttribute("..account"))
    message = "Run started."
