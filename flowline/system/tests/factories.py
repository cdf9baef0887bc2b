import factory

from flowline.core.testing.factories import TenantFactory, for_endpoint
from flowline.system.models import AccountSetting, ModuleSetting, UserSetting


class AccountSettingFactory(TenantFactory):
    class Meta:
        model = AccountSetting

    namespace = AccountSetting.Namespace.GENERAL
    key = factory.Sequence(lambda n: f"key_{n}")
    value = {"enabled": True}


@for_endpoint("aisetting")
class AISettingFactory(AccountSettingFactory):
    namespace = AccountSetting.Namespace.AI


class ModuleSettingFactory(TenantFactory):
    class Meta:
        model = ModuleSetting

    module_name = factory.Sequence(lambda n: f"module_{n}")


class UserSettingFactory(TenantFactory):
    class Meta:
        model = UserSetting

    key = factory.Sequence(lambda n: f"pref_{n}")
    user = factory.LazyAttribute(lambda o: o.account.owner)
