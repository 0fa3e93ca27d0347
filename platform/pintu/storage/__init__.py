"""Private document storage for regencies: validated uploads, keys under the regency's prefix,
downloads only through a permission-checked view or a short-lived signed URL.

Plain package (no models): `pintu.storage.services` for writes and reads,
`pintu.storage.validation` for the content checks, `pintu.storage.views` for the
signed-download view.
"""
