"""Read-only analytics for ROPS staff: regional training needs, with statistical confidentiality."""
