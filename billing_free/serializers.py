"""API face of the zero-fee guarantee: a read-only cost field for any serializer."""
from __future__ import annotations

from rest_framework import serializers

from permits.fees import cost_of


class CostStatementField(serializers.Field):
    """`cost = CostStatementField()` on a permit type, application or permit serializer.

    Always read-only: no client can set or change a charge through the API.
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", "Biaya: gratis, atau retribusi daerah dengan dasar hukumnya.")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return cost_of(value).as_dict()
