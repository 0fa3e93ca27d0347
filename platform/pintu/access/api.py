"""API for the regency's officers (regency administrators, auditors and heads only)."""
from __future__ import annotations

from rest_framework import serializers
from rest_framework.generics import ListAPIView

from pintu.access.models import Membership, Role
from pintu.access.permissions import RegencyRole
from pintu.access.selectors import officer_list


class OfficerSerializer(serializers.ModelSerializer):
    email = serializers.SerializerMethodField()
    full_name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "agency", "granted_at"]

    def _user(self, obj):
        return self.context["users"].get(obj.user_id)

    def get_email(self, obj) -> str:
        user = self._user(obj)
        return user.email if user else ""

    def get_full_name(self, obj) -> str:
        user = self._user(obj)
        return user.full_name if user else ""


class OfficerListAPI(ListAPIView):
    serializer_class = OfficerSerializer
    permission_classes = [RegencyRole]
    required_roles = (Role.REGENCY_ADMIN, Role.AUDITOR, Role.HEAD)

    def get_queryset(self):
        return officer_list()

    def get_serializer_context(self):
        from pintu.identity.models import User

        context = super().get_serializer_context()
        page = getattr(self, "_page_ids", None)
        context["users"] = User.objects.in_bulk(page) if page is not None else {}
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._page_ids = [m.user_id for m in (page if page is not None else queryset)]
        return page
