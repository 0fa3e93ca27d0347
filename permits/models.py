"""The regency's own domain: catalog, SOPs, delegation, applications, permits (see issues #3, #4)."""
