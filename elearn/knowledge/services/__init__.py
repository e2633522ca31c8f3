"""The knowledge base's logic: resources and reviews (resources.py), text extraction (extraction.py), search."""
