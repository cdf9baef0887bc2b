from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "flowline.realtime"
    label = "realtime"
