"""Django REST framework, JWT and OpenAPI settings."""

from datetime import timedelta

import environ

env = environ.Env()

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "flowline.identity.authentication.TokenAuthentication",
        "flowline.identity.authentication.ApiKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["flowline.core.envelope.EnvelopeJSONRenderer"],
    "DEFAULT_METADATA_CLASS": "flowline.core.metadata.Metadata",
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "flowline.core.pagination.EnvelopePagination",
    "PAGE_SIZE": 10,
    "DEFAULT_FILTER_BACKENDS": [
        "flowline.core.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "flowline.core.throttles.AnonThrottle",
        "flowline.core.throttles.UserThrottle",
    ],
    # A plan's `rate_limits` replace these for its accounts, above or below them (billing
    # keeps them on the account, read with the request's membership).
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="2000/min"),
        "login": env.str("THROTTLE_LOGIN", default="20/min"),
        "login_identity": env.str("THROTTLE_LOGIN_IDENTITY", default="10/min"),
        "ai": env.str("THROTTLE_AI", default="60/min"),
    },
    "EXCEPTION_HANDLER": "flowline.core.exceptions.flowline_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "flowline.core.schema.EnvelopeAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_CLAIM": "user_id",
    "USER_ID_FIELD": "id",
    "TOKEN_TYPE_CLAIM": "type",
    "LEEWAY": 0,
}

# Browser clients: the same tokens in HttpOnly cookies, CSRF double-submit (004 §2.1).
AUTH_COOKIE_ACCESS = "access_token"
AUTH_COOKIE_REFRESH = "refresh_token"
AUTH_COOKIE_CSRF = "csrf_access_token"
AUTH_CSRF_HEADER = "HTTP_X_CSRF_TOKEN"
AUTH_COOKIE_SECURE = env.bool("AUTH_COOKIE_SECURE", default=True)
AUTH_COOKIE_SAMESITE = "Strict"
AUTH_COOKIE_DOMAIN = env.str("AUTH_COOKIE_DOMAIN", default="") or None
# The refresh cookie goes to every API base that can refresh or log out: /api/v1/auth/
# and Elinara's /api/elinara/auth/ and /auth2/ (docs/seed-frontends.md). Narrower, a
# browser would not send it to Elinara's logout, which could then not revoke it.
AUTH_COOKIE_REFRESH_PATH = "/api/"

SPECTACULAR_SETTINGS = {
    "TITLE": "Flowline API",
    "DESCRIPTION": (
        "One backend for AI-driven marketing work. Every response is enveloped: "
        '`{"success": true, "data": ..., "message": ...}`; lists carry `count`, `next`, '
        "`previous`, `results`; errors carry `error`, `errors`, `code` and `request_id`."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DEFAULT_GENERATOR_CLASS": "flowline.core.schema.SchemaGenerator",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Seed frontends' paths (flowline.contracts): listed once each, tagged by seed, as they answer.
    "PREPROCESSING_HOOKS": ["flowline.contracts.schema.preprocess"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "flowline.contracts.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "flowline.core.roles.Role",
        "InvitableRoleEnum": "flowline.core.roles.INVITABLE_ROLES",
        "ConversationStatusEnum": "flowline.chat.models.Conversation.Status",
        "PaymentStatusEnum": "flowline.billing.models.payments.Payment.Status",
        "InvoiceStatusEnum": "flowline.billing.models.payments.Invoice.Status",
        "PaymentMethodKindEnum": "flowline.billing.models.payments.PaymentMethod.Kind",
        "ProductStatusEnum": "flowline.commerce.models.Product.Status",
        "DriveProviderEnum": "flowline.drives.models.Provider",
        "AnalyticsPlatformEnum": "flowline.analytics.models.Platform",
        "SocialPlatformEnum": "flowline.social.models.Platform",
        # Social posts' status and WordPress's post status both came out as PostStatusEnum.
        "PostStatusEnum": "flowline.posts.models.Post.Status",
        "WordPressPostStatusEnum": "flowline.integration.models.SiteIntegration.PostStatus",
        # The AI image settings' provider, named since drives added a second `provider`.
        "ImageProviderEnum": ["openai", "runware", "offline"],
    },
}
