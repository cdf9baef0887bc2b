from django.apps import AppConfig


class DrivesConfig(AppConfig):
    name = "flowline.drives"
    label = "drives"
    verbose_name = "Cloud drives"

    def ready(self) -> None:
        from flowline.drives.export import user_drives_export
        from flowline.identity.public import register_exporter

        register_exporter("cloud_files", user_drives_export)
