"""The knowledge base (baza wiedzy): statutes, guidance, reports, templates and articles, searchable with courses."""
