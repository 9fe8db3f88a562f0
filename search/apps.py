from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from search import registry, services
        from search.backends import get_backend

        registry.autodiscover()
        services.connect_signals()

        def reset_backend(setting, **kwargs):
            if setting == "SEARCH":
                get_backend.cache_clear()

        setting_changed.connect(reset_backend, weak=False, dispatch_uid="search.reset_backend")
