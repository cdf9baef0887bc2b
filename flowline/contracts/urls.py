"""Every seed contract's URL patterns. Mounted first in `config/urls.py`, so a seed path
that is also Flowline's own (IGNY8's `/api/v1/...`) answers through its adapters."""

from flowline.contracts import elinara, igny8, sellflow, syncflow
from flowline.contracts.build import urlpatterns_for

# Order matters only where bases overlap: each seed's paths are distinct (docs/seed-frontends.md).
CONTRACTS = (syncflow.CONTRACT, sellflow.CONTRACT, igny8.CONTRACT, *elinara.CONTRACTS)

urlpatterns = [pattern for contract in CONTRACTS for pattern in urlpatterns_for(contract)]
