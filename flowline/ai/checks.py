"""Start-up checks of the AI settings: a wrong FLOWLINE_EMBEDDINGS fails at start, not
in the middle of a clustering job."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def embeddings_engine(app_configs, **kwargs):
    from flowline.ai.services.offline_embeddings import engine

    try:
        engine()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="ai.E001")]
    return []
