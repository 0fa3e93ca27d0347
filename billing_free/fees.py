"""Moved to `permits.fees` (permits may not import billing_free: .importlinter). This alias keeps
imports written before the move working; new code imports `permits.fees`."""
from permits.fees import (  # noqa: F401
    CostStatement,
    application_cost_statement,
    cost_of,
    cost_statement,
    levy_legal_basis,
    rupiah,
)
