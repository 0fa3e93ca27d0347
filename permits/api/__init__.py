"""The permits domain's REST API: the public catalog and the regency administrator's configuration."""
