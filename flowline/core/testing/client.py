"""An API client whose requests run their on-commit callbacks, as a real request would.

Tests run inside a transaction that never commits, so `transaction.on_commit` work
(emails, queued jobs) would silently not happen; this client runs it after each request.
"""

from django.test import TestCase
from rest_framework.test import APIClient


class CommittingAPIClient(APIClient):
    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)
