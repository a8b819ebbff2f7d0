"""Fields of administrative procedures (lĩnh vực) and the catalogue of procedures."""
