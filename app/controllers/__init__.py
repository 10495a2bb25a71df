"""One controller per feature: turns what the resident does into state changes and service
calls. Every user action is a Command (app/commands.py)."""
