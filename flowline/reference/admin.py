from django.contrib import admin

from flowline.reference.models import Industry, IndustrySector, SeedKeyword


class IndustrySectorInline(admin.TabularInline):
    model = IndustrySector
    extra = 0


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [IndustrySectorInline]


@admin.register(SeedKeyword)
class SeedKeywordAdmin(admin.ModelAdmin):
    list_display = ["keyword", "industry", "sector", "volume", "difficulty", "intent", "is_active"]
    list_filter = ["intent", "is_active", "industry"]
    search_fields = ["keyword"]
    list_select_related = ["industry", "sector"]
