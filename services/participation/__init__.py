"""The participation service: consultations, opinions counted per stakeholder group, and
"you said, we did" outcomes, per mission item and fiscal year (the seed's measures 1.1-1.4
and 2.1-2.6)."""
