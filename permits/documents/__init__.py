"""Permit documents: the PDF (letterhead, decision, form data, validity, QR to verification,
signature block), the counter receipt, and their electronic signature (local PAdES with the
regency's certificate, or the national CA's signing API).

Pure functions over plain data (dataclasses): they do not read models, so the application
flow decides what goes in and this package only renders, signs and verifies.
"""
