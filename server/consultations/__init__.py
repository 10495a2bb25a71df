"""Consultations and telemedicine booking (issue 11, docs/booking.md): services and their
opening rules (models, catalogue), slots computed from the rules (slots), the capacity of a
slot held in the database (capacity), the resident's outbox kinds (booking), anonymous
bookings (anonymous), reading bookings back (reads), and the clinic's side (clinic)."""
