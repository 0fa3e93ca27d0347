"""Writes of the permits domain, by topic: catalog, workflow (SOP), delegation, calendar, templates, config_io."""
