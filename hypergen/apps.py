from django.apps import AppConfig


class HypergenConfig(AppConfig):
    name = "hypergen"
    verbose_name = "Hypergen"
