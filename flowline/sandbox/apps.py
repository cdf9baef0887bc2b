from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """Sandbox providers: fakes of outside services, for the tests and for sandbox mode."""

    name = "flowline.sandbox"
    label = "sandbox"
