"""OpenAPI security schemes for Flowline's authenticators."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "flowline.identity.authentication.TokenAuthentication"
    name = "BearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Access token from auth/login/. Browsers may use the HttpOnly "
            "`access_token` cookie instead, sending `X-CSRF-Token` on unsafe methods.",
        }


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "flowline.identity.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key flk_<prefix>_<secret>` for server-to-server clients.",
        }
