"""The regency's own domain: catalog, SOPs, delegation, calendar, applications and permits."""
from permits.models.applications import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Decision,
    Permit,
    RegistrationCounter,
    StepTask,
)
from permits.models.calendar import LocalHoliday
from permits.models.catalog import FormField, PermitNumberCounter, PermitType, Requirement
from permits.models.complaints import Complaint, ComplaintPolicy
from permits.models.delegation import ActingOfficial, Delegation, Position
from permits.models.register import RegisterImportJob
from permits.models.survey import SurveyResponse
from permits.models.workflow import Sop, SopStep

__all__ = [
    "Application", "ApplicationDocument", "ApplicationEvent", "Decision", "Permit", "RegistrationCounter", "StepTask",
    "ActingOfficial", "Delegation", "FormField", "LocalHoliday", "PermitNumberCounter", "PermitType", "Position",
    "Requirement", "Sop", "SopStep",
    "Complaint", "ComplaintPolicy", "RegisterImportJob", "SurveyResponse",
]
