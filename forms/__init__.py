"""Procedure forms defined as data: the definition model and its validator.

Shared by the server (the authoritative check of every submission) and the client (instant
feedback while the resident types, offline). Pure Python plus pydantic: this package imports
nothing of app, views, services or server, and neither side imports the other through it.
Texts in a definition are English msgids; the client translates them with its gettext
catalogs (tools/i18n.py extracts them from the JSON files in forms/catalogue/).
"""
