"""The notification inbox on a regency subdomain (/api/v1/inbox/): my messages from this regency only."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from pintu.access.permissions import SIGNED_IN
from pintu.api import ApiView
from pintu.api_docs import extend_schema
from pintu.notify import selectors, services


class InboxMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class MarkReadInput(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), required=False,
                                max_length=500, help_text="the messages to mark read; all of them when left out")


class MarkReadOutput(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class InboxAPI(ApiView, ListAPIView):
    """My messages from this regency, newest first (paginated); `unread=1` for the unread ones."""

    access = SIGNED_IN
    serializer_class = InboxMessageSerializer

    def get_queryset(self):
        rows = selectors.inbox_of(user=self.request.user, regency=self.request.tenant)
        if self.request.query_params.get("unread") in ("1", "true"):
            rows = rows.filter(read_at__isnull=True)
        return rows

    @extend_schema(operation_id="inbox_list", parameters=[OpenApiParameter("unread", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class InboxMarkReadAPI(ApiView, GenericAPIView):
    """Mark my messages of this regency read (the listed `ids`, or all)."""

    access = SIGNED_IN
    serializer_class = MarkReadInput

    @extend_schema(operation_id="inbox_mark_read", request=MarkReadInput, responses={200: MarkReadOutput})
    def post(self, request):
        body = MarkReadInput(data=request.data)
        body.is_valid(raise_exception=True)
        marked = services.inbox_messages_mark_read(user=request.user, regency=request.tenant,
                                                   ids=body.validated_data.get("ids"))
        unread = selectors.inbox_of(user=request.user, regency=request.tenant).filter(read_at__isnull=True).count()
        return Response({"marked": marked, "unread": unread})


__all__ = ["InboxAPI", "InboxMarkReadAPI"]
