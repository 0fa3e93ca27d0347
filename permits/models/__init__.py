"""The regency's own domain: catalog, SOPs, delegation, calendar (applications follow in issue #4)."""
from permits.models.calendar import LocalHoliday
from permits.models.catalog import FormField, PermitNumberCounter, PermitType, Requirement
from permits.models.delegation import ActingOfficial, Delegation, Position
from permits.models.workflow import Sop, SopStep

__all__ = [
    "ActingOfficial", "Delegation", "FormField", "LocalHoliday", "PermitNumberCounter", "PermitType", "Position",
    "Requirement", "Sop", "SopStep",
]
