"""Consultations and telemedicine booking on the device (issue 11; docs/booking.md).

    models.py      wire models and enums of the contract
    refusals.py    the server's refusal codes, `slot_full` alternatives, SlotRefused
    api.py         the resident's authenticated reads (GET /v1/bookings); the public calls are
                   services.api.ApiClient's (services, slots, anonymous bookings)
    search.py      search by need, in any language, kana or romaji (over info.search)
    catalogue.py   ConsultationCatalogue: services and slots cached on the device (ETag)
    problems.py    checks made before anything is queued or sent, as problem codes
    bookings.py    BookingService: one resident's bookings through the outbox
    anonymous.py   AnonymousBookings: booking without login (こころの相談), kept on the device
    calendar.py    a booking as an .ics file
    reminders.py   which reminders are due now, each once
    crisis.py      crisis telephone lines, static and always offline

Kept free of imports: services.api imports the models, and this package imports services.api.
"""
