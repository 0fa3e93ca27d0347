"""Pages for the regency's administrators (/pengaturan/): catalog, SOPs, authority, calendar, templates, import."""
