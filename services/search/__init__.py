"""The one search of the home: procedures, clinics, childcare, shelters, AEDs, consultation
services, spots, guides, towns, programmes, stops and notices, as you type, offline."""

from services.search.index import SearchIndex
from services.search.models import Document, Hit, HitKind, Source
from services.search.service import SearchService

__all__ = ["Document", "Hit", "HitKind", "SearchIndex", "SearchService", "Source"]
