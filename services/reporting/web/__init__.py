"""The reporting service's server-rendered pages: staff dashboard, transparency, ITA."""
