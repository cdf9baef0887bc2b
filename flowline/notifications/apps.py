from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "flowline.notifications"
    label = "notifications"

    def ready(self) -> None:
        from flowline.notifications import listeners

        listeners.register()
        from flowline.notifications.pages import shell

        shell.register()
