"""002 Optimizer and Linker: `optimizer/` (SEO analyses) and `linker/` (link suggestions)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.errors import NotFoundError
from flowline.core.serializers import IdsInputSerializer
from flowline.core.viewsets import TenantReadOnlyViewSet
from flowline.optimizer import scoring, selectors, services
from flowline.optimizer.api import serializers as s
from flowline.optimizer.document import Document
from flowline.optimizer.models import ContentScore, LinkSuggestion
from flowline.writer import public as writer


def _visible_contents(ids: list[int]) -> list[int]:
    """The ids, checked against what the member may see (site grants included); 404 names
    the others."""
    found = writer.visible_content_ids(ids)
    missing = sorted(set(ids) - found)
    if missing:
        raise NotFoundError("Some content does not exist in this account.", errors={"ids": missing})
    return list(dict.fromkeys(ids))


class ContentScoreViewSet(TenantReadOnlyViewSet):
    """SEO analyses: the history of scores, `analyze/` and `batch_analyze/`."""

    model = ContentScore
    serializer_class = s.ContentScoreSerializer
    filterset_fields = ["content", "site"]
    ordering_fields = ["created_at", "score"]

    @extend_schema(
        request=s.AnalyzeInput, responses={200: s.AnalysisSerializer, 201: s.ContentScoreSerializer}
    )
    @action(detail=False, methods=["post"], serializer_class=s.AnalyzeInput)
    def analyze(self, request):
        """Score a saved content (kept, 201) or HTML given in the body (not kept, 200)."""
        payload = s.AnalyzeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "content_id" not in data:
            doc = Document(
                **{**data, "secondary_keywords": tuple(data.get("secondary_keywords", ()))}
            )
            return ok(scoring.score(doc).as_dict())
        [content_id] = _visible_contents([data["content_id"]])
        row = services.content_analyze(
            account_id=tenancy.require().account_id, content_id=content_id
        )
        return ok(s.ContentScoreSerializer(row).data, status=201)

    @extend_schema(request=IdsInputSerializer, responses=s.BatchScoreSerializer(many=True))
    @action(detail=False, methods=["post"], serializer_class=IdsInputSerializer)
    def batch_analyze(self, request):
        """Score several contents at once (at most 50); each analysis is kept."""
        payload = IdsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        ids = _visible_contents(payload.validated_data["ids"][:50])
        account_id = tenancy.require().account_id
        rows = []
        with transaction.atomic():
            for content_id in ids:
                row = services.content_analyze(account_id=account_id, content_id=content_id)
                passed = sum(1 for check in row.checks if check["passed"])
                rows.append(
                    {
                        "content_id": content_id,
                        "score": row.score,
                        "passed": passed,
                        "total": len(row.checks),
                    }
                )
        return ok(rows)


class LinkSuggestionViewSet(TenantReadOnlyViewSet):
    """Internal link suggestions: list, `process/`, `batch_process/`, `{id}/dismiss/`."""

    model = LinkSuggestion
    serializer_class = s.LinkSuggestionSerializer
    filterset_fields = ["source", "target", "status", "site"]
    ordering_fields = ["score", "created_at"]

    def safely_get_queryset(self, queryset):
        return queryset.select_related("target")

    @extend_schema(request=s.ProcessInput, responses=s.LinkSuggestionSerializer(many=True))
    @action(detail=False, methods=["post"], serializer_class=s.ProcessInput)
    def process(self, request):
        """Find links from one content to others of its site; replaces its open ones."""
        payload = s.ProcessInput(data=request.data)
        payload.is_valid(raise_exception=True)
        [content_id] = _visible_contents([payload.validated_data["content_id"]])
        rows = services.links_refresh(
            account_id=tenancy.require().account_id,
            content_id=content_id,
            limit=payload.validated_data["limit"],
        )
        fresh = selectors.link_suggestions_in_order([row.id for row in rows])
        return ok(s.LinkSuggestionSerializer(fresh, many=True).data)

    @extend_schema(request=s.BatchProcessInput, responses=s.BatchProcessResult(many=True))
    @action(detail=False, methods=["post"], serializer_class=s.BatchProcessInput)
    def batch_process(self, request):
        """`process/` for up to 50 contents."""
        payload = s.BatchProcessInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ids = _visible_contents(payload.validated_data["ids"])
        account_id = tenancy.require().account_id
        results = [
            {
                "content_id": content_id,
                "suggestions": len(
                    services.links_refresh(
                        account_id=account_id,
                        content_id=content_id,
                        limit=payload.validated_data["limit"],
                    )
                ),
            }
            for content_id in ids
        ]
        return ok(results)

    @extend_schema(request=None, responses=s.LinkSuggestionSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Not this link: it is kept as dismissed and not proposed again."""
        row = services.suggestion_dismiss(suggestion=self.get_object())
        return ok(s.LinkSuggestionSerializer(row).data)
