"""Degraded mode: public reads from the streaming standby while the primary does not answer.

One deployment serves every regency, so the primary PostgreSQL is one place to fail (PDN, June
2024). Banks, the police and clinics check permits through the QR verification page; it must keep
answering. When ``STANDBY_DATABASE_URL`` names a hot standby (PostgreSQL's own streaming
replication) and the primary stops answering:

- the pages that only read data which may be a few seconds stale (verification, public tracking,
  the catalog, the transparency register, and their API twins) run every query on the ``standby``
  alias (``router.StandbyRouter``), with the regency's search_path mirrored onto it, and say in
  Indonesian that new applications are paused;
- every other request answers 503 "layanan sedang pemeliharaan" with ``Retry-After`` (structured
  JSON under ``/api/``); a form that was being posted comes back filled in, so nothing typed is lost.

The primary is probed at most once per ``DEGRADED_CHECK_SECONDS`` per process, so when it returns
(or a promoted standby takes its name) everything resumes without a restart.
"""
