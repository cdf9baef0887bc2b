from django.contrib import admin

from flowline.system.models import (
    AccountSetting,
    GiteaDelivery,
    ModuleSetting,
    SystemSetting,
    UserSetting,
)


@admin.register(SystemSetting)
class SystemSettingAdmin(admin.ModelAdmin):
    list_display = ["key", "updated_at"]
    search_fields = ["key", "description"]


@admin.register(AccountSetting)
class AccountSettingAdmin(admin.ModelAdmin):
    list_display = ["key", "namespace", "account", "updated_at"]
    list_filter = ["namespace"]
    search_fields = ["key", "account__name"]


@admin.register(ModuleSetting)
class ModuleSettingAdmin(admin.ModelAdmin):
    list_display = ["module_name", "account", "enabled", "updated_at"]
    list_filter = ["enabled", "module_name"]
    search_fields = ["module_name", "account__name"]


@admin.register(UserSetting)
class UserSettingAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "account", "updated_at"]
    search_fields = ["key", "user__email"]


@admin.register(GiteaDelivery)
class GiteaDeliveryAdmin(admin.ModelAdmin):
    list_display = ["delivery_id", "event", "repository", "ref", "action", "received_at"]
    list_filter = ["event"]
    search_fields = ["delivery_id", "repository", "sender"]
    readonly_fields = [f.name for f in GiteaDelivery._meta.fields]
