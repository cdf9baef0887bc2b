from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "flowline.agents"
    label = "agents"

    def ready(self) -> None:
        from flowline.agents import events  # noqa: F401  (registers the agent_{id} room)
        from flowline.agents.export import user_agents_export
        from flowline.agents.services import pipeline  # noqa: F401  (registers job kinds)
        from flowline.identity.public import register_exporter

        register_exporter("agents", user_agents_export)
