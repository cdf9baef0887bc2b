"""The account an IGNY8 frontend works in: one of everything its documented paths name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from flowline.ai.testing.fixtures import no_ai_environment  # noqa: F401
from flowline.ai.tests.factories import AuthorProfileFactory, PromptFactory, StrategyFactory
from flowline.billing.tests.factories import CreditUsageFactory, SubscriptionFactory
from flowline.contracts.tests.igny8.system_rows import GITEA_SECRET
from flowline.core.roles import Role
from flowline.jobs.tests.factories import JobFactory
from flowline.planner.tests.factories import ClusterFactory, ContentIdeaFactory, KeywordFactory
from flowline.sites.tests.factories import SectorFactory, SiteUserAccessFactory
from flowline.system.models import SystemSetting
from flowline.system.tests.factories import (
    AccountSettingFactory,
    AISettingFactory,
    ModuleSettingFactory,
    UserSettingFactory,
)
from flowline.writer.tests.factories import ContentFactory, ImageFactory, TaskFactory


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _offline_ai(no_ai_environment):  # noqa: F811
    """AI work runs on the built-in offline provider."""


@pytest.fixture
def world(owner, member_factory, settings):
    settings.GITEA_WEBHOOK_SECRET = GITEA_SECRET.decode()
    from flowline.reference.models import Industry, IndustrySector, SeedKeyword

    sector = SectorFactory(account=owner.account)
    site = sector.site
    industry = Industry.objects.create(name="Wellness", slug="wellness")
    industry_sector = IndustrySector.objects.create(industry=industry, name="Yoga", slug="yoga")
    seed = SeedKeyword.objects.create(
        keyword="yoga mat", industry=industry, sector=industry_sector, volume=900, difficulty=30
    )
    content = ContentFactory(account=owner.account, site=site, sector=sector)
    viewer = member_factory(owner, Role.VIEWER, all_sites=False)
    from flowline.billing.models import Plan

    return {
        "email": owner.user.email,
        "password": owner.password,
        "member": viewer.user.id,
        "viewer": viewer.user.id,
        "account": owner.account_id,
        "account_id": owner.account_id,
        "site": site.id,
        "spare_site": SectorFactory(account=owner.account).site_id,
        "sector": sector.id,
        "spare_sector": SectorFactory(account=owner.account, site=site).id,
        "industry": industry.id,
        "industry_slug": industry.slug,
        "industry_sector_slug": industry_sector.slug,
        "seed_keyword": seed.id,
        "plan": Plan.objects.order_by("id").values_list("id", flat=True).first(),
        "grant": SiteUserAccessFactory(account=owner.account, site=site, user=viewer.user).id,
        "subscription": SubscriptionFactory(account=owner.account).id,
        "keyword": KeywordFactory(account=owner.account, sector=sector).id,
        "keyword2": KeywordFactory(account=owner.account, sector=sector).id,
        "cluster": ClusterFactory(account=owner.account, sector=sector).id,
        "idea": ContentIdeaFactory(account=owner.account, sector=sector).id,
        "task": TaskFactory(account=owner.account, site=site, sector=sector).id,
        "content": content.id,
        "image": ImageFactory(
            account=owner.account, content=content, file=SimpleUploadedFile("mat.png", _png())
        ).id,
        "prompt": PromptFactory(account=owner.account).id,
        "author_profile": AuthorProfileFactory(account=owner.account).id,
        "strategy": StrategyFactory(account=owner.account).id,
        "job": str(JobFactory(account=owner.account).id),
        "system_setting": SystemSetting.objects.create(key="banner", value={"text": "hi"}).id,
        "account_setting": AccountSettingFactory(account=owner.account).id,
        "user_setting": UserSettingFactory(account=owner.account, user=owner.user).id,
        "module_setting": ModuleSettingFactory(account=owner.account).id,
        "ai_setting": AISettingFactory(account=owner.account).id,
        "usage": CreditUsageFactory(account=owner.account).id,
        # A request the frontend made, whose metrics it then reads.
        "request_id": owner.client.get("/api/v1/auth/me/")["X-Request-ID"],
        "free_plan": Plan.objects.filter(price_monthly=0, is_active=True).values_list(
            "id", flat=True
        )[0],
    }
