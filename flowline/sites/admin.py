from django.contrib import admin

from flowline.sites.models import Sector, Site, SiteUserAccess


class SectorInline(admin.TabularInline):
    model = Sector
    extra = 0
    fields = ["name", "slug", "industry_sector", "is_active"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "url", "industry", "status", "created_at"]
    list_filter = ["status", "industry"]
    search_fields = ["name", "url", "account__name"]
    readonly_fields = ["account"]
    exclude = ["wp_app_password"]
    inlines = [SectorInline]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "account", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "site__name"]
    readonly_fields = ["account"]


@admin.register(SiteUserAccess)
class SiteUserAccessAdmin(admin.ModelAdmin):
    list_display = ["user", "site", "account", "granted_by", "created_at"]
    search_fields = ["user__email", "site__name"]
    readonly_fields = ["account"]
