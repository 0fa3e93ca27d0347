"""The groups of roles Pintu's rules name, declared once: pages, API views and services use these.

Regency roles (`Role`, held per regency in its schema) and ministry roles (`MinistryRole.Role`,
held in public) never mix: a regency role grants nothing on the ministry's pages and API, and
the other way round.
"""
from __future__ import annotations

from pintu.access.models import Role
from pintu.identity.models import MinistryRole

# --- Regency roles ---------------------------------------------------------------------------

#: Roles that work on files (have a worklist).
PROCESSING_ROLES = (Role.FRONT_OFFICE, Role.VERIFIER, Role.TECHNICAL_TEAM, Role.SURVEYOR, Role.SIGNING_OFFICIAL,
                    Role.HEAD)
#: Roles that may see any application of the regency (read only).
OFFICE_ROLES = PROCESSING_ROLES + (Role.REGENCY_ADMIN, Role.AUDITOR)
#: Who opens any applicant's scans here; every other officer only those of files a role of theirs
#: has (or had) a step on (permits.selectors.office.officer_handles).
FILE_READING_ROLES = (Role.REGENCY_ADMIN, Role.HEAD, Role.FRONT_OFFICE)
#: Who may revoke an issued permit.
REVOKING_ROLES = (Role.SIGNING_OFFICIAL, Role.HEAD)
#: Who checks the applicant's documents one by one.
REVIEWING_ROLES = (Role.VERIFIER, Role.FRONT_OFFICE, Role.TECHNICAL_TEAM)
#: Roles that review a file beside the main line (technical teams, field surveyors).
SIDE_REVIEW_ROLES = (Role.TECHNICAL_TEAM, Role.SURVEYOR)
#: The counter: files taken in person.
COUNTER_ROLES = (Role.FRONT_OFFICE,)
#: Read-only viewers of the configuration (auditors, the head of office) besides the administrators.
CONFIG_READ_ROLES = (Role.REGENCY_ADMIN, Role.AUDITOR, Role.HEAD)
#: Who changes the configuration and the officers.
ADMIN_ROLES = (Role.REGENCY_ADMIN,)
#: Who reads who signs what (the authority page and API).
AUTHORITY_READ_ROLES = (Role.REGENCY_ADMIN, Role.HEAD, Role.AUDITOR, Role.SIGNING_OFFICIAL)
#: Roles that handle complaints: see them all, assign, answer and close.
COMPLAINT_ROLES = (Role.REGENCY_ADMIN, Role.HEAD, Role.FRONT_OFFICE)
#: Who reads the satisfaction index (IKM).
IKM_ROLES = (Role.HEAD, Role.REGENCY_ADMIN)
#: Who may sign a decision (the delegation names one of them).
SIGNING_ROLES = (Role.SIGNING_OFFICIAL, Role.HEAD)
#: Who reads the audit log.
AUDIT_ROLES = (Role.AUDITOR, Role.REGENCY_ADMIN, Role.HEAD)
#: Who reads the regency's service dashboard.
DASHBOARD_ROLES = (Role.HEAD, Role.REGENCY_ADMIN, Role.AUDITOR)
#: The office's leaders, told of its own affairs (quota alerts, renewals of permits due).
LEADERSHIP_ROLES = (Role.REGENCY_ADMIN, Role.HEAD)
#: Who reads the regency's own usage statement of the shared platform.
REGENCY_USAGE_ROLES = (Role.REGENCY_ADMIN, Role.HEAD)

# --- Ministry roles --------------------------------------------------------------------------

MINISTRY_ADMIN_ROLES = (MinistryRole.Role.ADMINISTRATOR,)
#: Who reads the regencies' usage of the shared platform.
USAGE_READ_ROLES = (MinistryRole.Role.ADMINISTRATOR, MinistryRole.Role.ANALYST)
#: Who handles illegal-fee (pungli) reports: inspectors only (content and identities).
PUNGLI_ROLES = (MinistryRole.Role.INSPECTOR,)
#: Who reads the pungli statistics (counts only, no content).
PUNGLI_STATISTICS_ROLES = (MinistryRole.Role.INSPECTOR, MinistryRole.Role.ADMINISTRATOR)
