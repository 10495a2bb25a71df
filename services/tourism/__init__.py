"""Tourism for visitors and residents: spots with their hours, fees, languages and barrier-free
access (the `spots` info dataset), crowd levels by hour with quieter places nearby, themed walking
guides and a pictogram phrase sheet (docs/tourism-relocation.md).

Modules are imported where used (`services.tourism.service` for the service): importing the
package itself loads nothing.
"""
