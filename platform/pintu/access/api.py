"""API for the regency's officers (regency administrators, auditors and heads only)."""
from __future__ import annotations

from rest_framework import serializers
from rest_framework.generics import ListAPIView

from pintu.access.models import Membership, Role
from pintu.access.permissions import REGENCY_ROLE
from pintu.access.roles import ADMIN_ROLES, CONFIG_READ_ROLES
from pintu.access.selectors import officer_list
from pintu.api import ApiView


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


class OfficerListAPI(ApiView, ListAPIView):
    serializer_class = OfficerSerializer
    access = REGENCY_ROLE
    required_roles = CONFIG_READ_ROLES

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


# --- Officer management (regency administrators): invitations, roles, deactivation -------------

from django.shortcuts import get_object_or_404  # noqa: E402
from rest_framework.response import Response  # noqa: E402

from pintu.access import services as access_services  # noqa: E402
from pintu.access.models import Invitation  # noqa: E402
from pintu.access.selectors import invitation_pending_list  # noqa: E402
from pintu.api_docs import extend_schema  # noqa: E402


class RoleChoiceSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    agency = serializers.IntegerField(required=False, allow_null=True, help_text="Agency id, for technical_team")


class InvitationSerializer(serializers.ModelSerializer):
    is_expired = serializers.BooleanField(read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "full_name", "nik", "roles", "created_at", "sent_at", "expires_at", "is_expired"]


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    nik = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    roles = RoleChoiceSerializer(many=True)


class RolesSerializer(serializers.Serializer):
    roles = RoleChoiceSerializer(many=True)


class MembershipStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Role.choices)
    agency = serializers.CharField()
    is_active = serializers.BooleanField()


class OfficerMembershipsSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    memberships = MembershipStateSerializer(many=True)


class AdminOnlyAPI(ApiView):
    access = REGENCY_ROLE
    required_roles = ADMIN_ROLES


class InvitationListAPI(AdminOnlyAPI):
    """GET: pending invitations; POST: invite a person (e-mail, roles, NIK for signing officials)."""

    @extend_schema(responses={200: InvitationSerializer(many=True)})
    def get(self, request):
        return Response(InvitationSerializer(invitation_pending_list(), many=True).data)

    @extend_schema(request=InviteSerializer, responses={201: InvitationSerializer})
    def post(self, request):
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, _ = access_services.invitation_create(invited_by=request.user, **data.validated_data)
        return Response(InvitationSerializer(invitation).data, status=201)


class InvitationActionAPI(AdminOnlyAPI):
    """POST .../resend/ (a new link, the old one stops working) or .../cancel/."""

    action = ""

    @extend_schema(request=None, responses={200: InvitationSerializer})
    def post(self, request, pk: int):
        invitation = get_object_or_404(Invitation, pk=pk)
        if self.action == "resend":
            access_services.invitation_resend(invitation=invitation, actor=request.user)
        else:
            access_services.invitation_cancel(invitation=invitation, actor=request.user)
        invitation.refresh_from_db()
        return Response(InvitationSerializer(invitation).data)


def _person(user_id: int):
    from pintu.identity.models import User

    if not Membership.objects.filter(user_id=user_id).exists():
        from django.http import Http404
        raise Http404
    return get_object_or_404(User, pk=user_id)


def _memberships(user_id: int) -> list[dict]:
    return [{"id": m.id, "role": m.role, "agency": m.agency, "is_active": m.is_active}
            for m in Membership.objects.filter(user_id=user_id).order_by("role", "agency")]


class OfficerRolesAPI(AdminOnlyAPI):
    """PUT: the person's roles here become exactly these."""

    @extend_schema(request=RolesSerializer, responses={200: OfficerMembershipsSerializer})
    def put(self, request, user_id: int):
        person = _person(user_id)
        data = RolesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access_services.officer_roles_set(user=person, roles=data.validated_data["roles"], actor=request.user)
        return Response({"user": person.pk, "memberships": _memberships(person.pk)})


class OfficerStateAPI(AdminOnlyAPI):
    """POST .../deactivate/ or .../reactivate/ every membership of the person here."""

    action = ""

    @extend_schema(request=None, responses={200: OfficerMembershipsSerializer})
    def post(self, request, user_id: int):
        person = _person(user_id)
        if self.action == "deactivate":
            access_services.officer_deactivate(user=person, actor=request.user)
        else:
            access_services.officer_reactivate(user=person, actor=request.user)
        return Response({"user": person.pk, "memberships": _memberships(person.pk)})
