"""No officer can add or change a charge on an application: no API field lets anyone write one.

There is deliberately no service for it. This guard scans every serializer of the regency
API (today's and tomorrow's) for a writable field that looks like a fee. The only place a
levy is written is the permit catalog (regency administrators, audited, with its regulation),
and an application keeps the snapshot taken at submission.
"""
import importlib
import inspect
import pkgutil
import re

from rest_framework import serializers

FEE = re.compile(r"levy|fee|cost|charge|price|amount|biaya|retribusi|tarif|payment|bayar", re.I)
# The catalog: the levy of a permit type, with its regulation, set by the regency administrator.
CATALOG_SERIALIZERS = {"permits.api.serializers.PermitTypeSerializer"}


def _api_serializers():
    import permits.api

    found = {}
    for module_info in pkgutil.walk_packages(permits.api.__path__, "permits.api."):
        module = importlib.import_module(module_info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, serializers.BaseSerializer) and obj.__module__ == module.__name__:
                found[f"{obj.__module__}.{name}"] = obj
    return found


def _writable_fee_fields(serializer_class) -> list[str]:
    try:
        fields = serializer_class().fields
    except Exception:  # a serializer that needs context to build its fields is checked by its declared ones
        fields = getattr(serializer_class, "_declared_fields", {})
    return [name for name, field in fields.items() if FEE.search(name) and not field.read_only]


def test_no_api_serializer_outside_the_catalog_accepts_a_fee(db):
    found = _api_serializers()
    assert found, "the regency API has serializers to check"
    # The scanner does see a writable levy where one exists (the catalog's, which is allowed).
    assert "levy_amount" in _writable_fee_fields(found["permits.api.serializers.PermitTypeSerializer"])
    offending = {name: _writable_fee_fields(cls) for name, cls in found.items() if name not in CATALOG_SERIALIZERS}
    assert {name: fields for name, fields in offending.items() if fields} == {}


def test_the_application_model_serializers_never_write_the_levy_snapshot(db):
    from permits.models.applications import Application

    for name, cls in _api_serializers().items():
        meta = getattr(cls, "Meta", None)
        if getattr(meta, "model", None) is Application:
            field = cls().fields.get("levy_amount")
            assert field is None or field.read_only, name
