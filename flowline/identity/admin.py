from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from flowline.identity.models import Account, ApiKey, ApiKeyUsage, Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["account", "role", "is_active", "all_sites"]
    autocomplete_fields = ["account"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "email_verified",
        "is_active",
        "is_staff",
        "date_joined",
    ]
    list_filter = ["is_active", "is_staff", "email_verified", "theme"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["first_name", "last_name", "avatar", "theme", "onboarding_state"]}),
        (
            "Status",
            {
                "fields": [
                    "is_active",
                    "email_verified",
                    "is_staff",
                    "is_superuser",
                    "token_version",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["token_version", "last_login", "date_joined"]


class AccountMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "account"
    extra = 0
    fields = ["user", "role", "is_active", "all_sites"]
    autocomplete_fields = ["user"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "owner", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "owner__email", "billing_email"]
    autocomplete_fields = ["owner"]
    inlines = [AccountMembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "account", "role", "is_active", "all_sites", "created_at"]
    list_filter = ["role", "is_active", "all_sites"]
    search_fields = ["user__email", "account__name"]
    autocomplete_fields = ["user", "account"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "account", "role", "status", "created_at", "accepted_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "account__name"]
    readonly_fields = ["account"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "account",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "account__name", "created_by__email"]
    readonly_fields = ["account", "prefix", "hashed_secret", "last_used_at"]


@admin.register(ApiKeyUsage)
class ApiKeyUsageAdmin(admin.ModelAdmin):
    list_display = ["api_key", "method", "path", "status_code", "ip_address", "created_at"]
    list_filter = ["method", "status_code"]
    search_fields = ["path", "api_key__prefix"]
