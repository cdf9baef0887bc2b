from django.apps import AppConfig


class OptimizerConfig(AppConfig):
    name = "flowline.optimizer"
    label = "optimizer"
    verbose_name = "Optimizer"
