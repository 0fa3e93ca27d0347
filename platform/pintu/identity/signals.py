"""What identity tells the domain apps without importing them (the layers forbid it)."""
from django.dispatch import Signal

# A person's account now carries a NIK (sign-up with a NIK, or the NIK added on the profile), sent inside
# the transaction that stored it. kwargs: user. OSS files waiting for that person in charge attach to them.
nik_recorded = Signal()
