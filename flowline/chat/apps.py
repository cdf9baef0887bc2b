from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "flowline.chat"
    label = "chat"
