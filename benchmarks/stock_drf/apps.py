from django.apps import AppConfig


class StockDrfConfig(AppConfig):
    name = "benchmarks.stock_drf"
    label = "stock_drf"
    default_auto_field = "django.db.models.BigAutoField"
